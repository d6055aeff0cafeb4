import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Every setting the service reads, with what it means. The server and the CLI
 * both load this one schema, so they can never disagree about configuration.
 */
export const configSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port the API listens on'),
    HOST: z.string().min(1).default('127.0.0.1').describe('Address the API binds to'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional()
      .describe('PostgreSQL server; when absent an embedded PGlite database under DATA_DIR is used'),
    DATA_DIR: z.string().default('./data').describe('Where the embedded database keeps its files'),
    SIGNER: z.enum(['file', 'pkcs11']).default('file').describe('file: PEM key and certificate; pkcs11: a USB token'),
    SIGNING_KEY_FILE: z.string().optional().describe('PEM private key for the file signer (default: development key under certs/dev)'),
    SIGNING_CERT_FILE: z.string().optional().describe('PEM certificate (and chain) for the file signer'),
    PKCS11_MODULE: z.string().optional().describe('Path of the PKCS#11 module of the token'),
    PKCS11_TOKEN_LABEL: z.string().optional().describe('Label of the token holding the signing key'),
    PKCS11_KEY_LABEL: z.string().optional().describe('Label of the private key and its certificate on the token'),
    PKCS11_PIN: z.string().optional().describe('User PIN of the token'),
    PKCS11_PIN_FILE: z.string().optional().describe('File holding the user PIN (preferred over PKCS11_PIN)'),
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL')
      .optional()
      .describe('Address citizens reach the service at, for the QR code on receipts (default: the request’s own host)'),
    TRUST_DIR: z.string().default('./certs/trust').describe('Directory of CA certificates (PEM) trusted when verifying'),
    SEED_DEMO: booleanFlag.optional().describe('Create the demo center on an empty database (default: true when embedded)'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((c, ctx) => {
    if (c.SIGNER !== 'pkcs11') return;
    for (const key of ['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_KEY_LABEL'] as const) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SIGNER=pkcs11' });
    }
    if (!c.PKCS11_PIN && !c.PKCS11_PIN_FILE) {
      ctx.addIssue({ code: 'custom', path: ['PKCS11_PIN'], message: 'PKCS11_PIN or PKCS11_PIN_FILE is required when SIGNER=pkcs11' });
    }
  });

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration, naming every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}${value !== undefined ? `=${JSON.stringify(value)}` : ''}: ${issue.message}`;
    }),
  );
}

/** Whether the demo seed runs on an empty database. */
export function seedDemoEnabled(config: Config): boolean {
  return config.SEED_DEMO ?? config.DATABASE_URL === undefined;
}
