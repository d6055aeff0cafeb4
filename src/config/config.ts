import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import path from 'node:path';
import { isIP } from 'node:net';
import { z } from 'zod';

const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

const isCidr = (s: string) => {
  const [ip, bits, ...rest] = s.split('/');
  if (rest.length > 0 || !ip || !isIP(ip)) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (isIP(ip) === 4 ? 32 : 128));
};

/** Fastify's trustProxy: false, true, a number of hops, or a list of addresses and CIDR ranges. */
const trustProxySchema = z
  .string()
  .default('false')
  .transform((v, ctx): boolean | number | string[] => {
    if (v === 'false') return false;
    if (v === 'true') return true;
    if (/^\d{1,2}$/.test(v)) return Number(v);
    const list = v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = list.filter((s) => !isCidr(s));
    if (list.length === 0 || bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `must be false, true, a hop count, or IP addresses/CIDR ranges (not ${bad.join(', ') || 'empty'})` });
      return z.NEVER;
    }
    return list;
  });

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
      .describe('PostgreSQL server; when absent an embedded PostgreSQL under DATA_DIR/postgres is started and used'),
    DATA_DIR: z.string().default('./data').describe('Where the embedded database, the development PKI and the default trust store live'),
    DISK_FREE_MIN_MB: z.coerce.number().int().min(0).max(1_000_000).default(64).describe('Below this many MB free under DATA_DIR, /readyz says not ready (before writes start to fail)'),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('production refuses development keys and CAs and requires PUBLIC_URL'),
    SIGNER: z.enum(['file', 'pkcs11']).default('file').describe('file: PEM key and certificate; pkcs11: a USB token'),
    SIGNING_KEY_FILE: z.string().optional().describe('PEM private key for the file signer (default: this installation’s development key under DATA_DIR/dev-pki)'),
    SIGNING_CERT_FILE: z.string().optional().describe('PEM certificate (and chain) for the file signer'),
    PKCS11_MODULE: z.string().optional().describe('Path of the PKCS#11 module of the token'),
    PKCS11_TOKEN_LABEL: z
      .string()
      .optional()
      .describe('Label of the token holding the signing key; several tokens (each with a key of PKCS11_KEY_LABEL, all with the PIN) separated by commas, a receipt going to the one free'),
    PKCS11_SESSIONS: z.coerce
      .number()
      .int()
      .min(1)
      .max(16)
      .default(1)
      .describe('Sessions opened on each token, each signing one document at a time (1 for a USB token that signs one at a time; more for an HSM)'),
    ISSUE_GROUP_MAX: z.coerce
      .number()
      .int()
      .min(1)
      .max(256)
      .default(16)
      .describe('Most receipts of one series numbered, signed and stored in one transaction; keep it times the token’s time per signature well under 30 s (the series stays locked meanwhile)'),
    ISSUE_QUEUE_MAX: z.coerce
      .number()
      .int()
      .min(1)
      .max(100_000)
      .default(512)
      .describe('Most counter requests waiting to be issued; beyond it a request is refused with 503 SIGNER_UNAVAILABLE and Retry-After'),
    PKCS11_KEY_LABEL: z.string().optional().describe('Label of the private key and its certificate on the token'),
    PKCS11_PIN: z.string().optional().describe('User PIN of the token'),
    PKCS11_PIN_FILE: z.string().optional().describe('File holding the user PIN (preferred over PKCS11_PIN)'),
    PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL')
      .optional()
      .describe('Address citizens reach the service at, for the QR code on receipts (default: the request’s own host)'),
    TRUST_DIR: z.string().optional().describe('Directory of trusted CA certificates (PEM) and their CRLs (.crl, PEM or DER); default DATA_DIR/trust'),
    TRUST_PROXY: trustProxySchema.describe('Addresses of reverse proxies whose X-Forwarded-For is believed: false (default), true, a hop count, or IPs/CIDRs separated by commas'),
    SEED_DEMO: booleanFlag.optional().describe('Create the demo center on an empty database (default: true when embedded)'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TAX_TRANSPORT: z
      .enum(['folder', 'https', 'off'])
      .default('folder')
      .describe('How messages reach the tax authority: folder (files to upload on the tax portal), https (an intermediary’s endpoint), off'),
    TAX_FOLDER: z.string().optional().describe('Where the folder transport writes messages (default DATA_DIR/tax-outbox)'),
    TAX_ENDPOINT: z
      .string()
      .regex(/^https?:\/\/[^/]+/, 'must be an http(s) URL')
      .optional()
      .describe('The intermediary’s (TCTN) endpoint for the https transport'),
    TAX_CLIENT_CERT_FILE: z.string().optional().describe('PEM client certificate for mutual TLS with the endpoint'),
    TAX_CLIENT_KEY_FILE: z.string().optional().describe('PEM private key of that client certificate'),
    TAX_CA_FILE: z.string().optional().describe('PEM CA the endpoint’s certificate must chain to (default: the system’s)'),
    TAX_SENDER_CODE: z
      .string()
      .regex(/^[A-Z0-9]{1,14}$/, 'must be 1–14 upper-case letters or digits')
      .optional()
      .describe('Sender code (MNGui) of our messages, given by the intermediary (default: V and the center’s tax code)'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^/]+/, 'must be an smtp:// or smtps:// URL')
      .optional()
      .describe('Mail server for sending receipts to payers, e.g. smtps://user:pass@mail.example.vn:465; when absent no mail is sent'),
    MAIL_FROM: z.string().min(3).max(254).optional().describe('Sender of mail to payers, e.g. "Trung tâm PVHCC <bienlai@example.vn>" (default: bienlai@ and the PUBLIC_URL host)'),
    MAIL_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30).describe('How often queued mail to payers is sent'),
    TAX_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60).describe('How often the summaries due are made and the outbox is sent'),
    DEMO_CLOCK_START: z.iso
      .datetime({ offset: true })
      .optional()
      .describe(
        'Development only: the server’s clock starts at this instant (with its offset, e.g. 2026-11-25T23:58:00+07:00) and runs on from it, to watch a day end and be reported without waiting for midnight; refused when NODE_ENV=production',
      ),
  })
  .superRefine((c, ctx) => {
    if (c.TAX_TRANSPORT === 'https' && !c.TAX_ENDPOINT) ctx.addIssue({ code: 'custom', path: ['TAX_ENDPOINT'], message: 'is required when TAX_TRANSPORT=https' });
    // Over plain HTTP anyone on the way reads the reports and can answer for the tax authority.
    if (c.NODE_ENV === 'production' && c.TAX_TRANSPORT === 'https' && c.TAX_ENDPOINT?.startsWith('http:')) {
      ctx.addIssue({ code: 'custom', path: ['TAX_ENDPOINT'], message: 'must be https:// when NODE_ENV=production' });
    }
    // The links and the QR code in mail must reach citizens, not the server's own listening address.
    if (c.SMTP_URL && !c.PUBLIC_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required when SMTP_URL is set (the links in mail to payers)' });
    if (!!c.TAX_CLIENT_CERT_FILE !== !!c.TAX_CLIENT_KEY_FILE) {
      ctx.addIssue({ code: 'custom', path: [c.TAX_CLIENT_CERT_FILE ? 'TAX_CLIENT_KEY_FILE' : 'TAX_CLIENT_CERT_FILE'], message: 'mutual TLS needs both TAX_CLIENT_CERT_FILE and TAX_CLIENT_KEY_FILE' });
    }
    if (c.NODE_ENV === 'production') {
      // Receipts, summaries and signatures are dated by this clock: in production only the real one.
      if (c.DEMO_CLOCK_START) ctx.addIssue({ code: 'custom', path: ['DEMO_CLOCK_START'], message: 'is refused when NODE_ENV=production: documents are dated by the real clock' });
      // The QR code on every receipt must not depend on a Host header an attacker sends.
      if (!c.PUBLIC_URL) ctx.addIssue({ code: 'custom', path: ['PUBLIC_URL'], message: 'is required when NODE_ENV=production' });
      // Trusting every proxy believes any X-Forwarded-For a client sends: each request could claim a fresh address.
      if (c.TRUST_PROXY === true) {
        ctx.addIssue({ code: 'custom', path: ['TRUST_PROXY'], message: 'true is refused when NODE_ENV=production: name the proxies (IPs/CIDRs) or their hop count' });
      }
      if (c.SIGNER === 'file') {
        for (const key of ['SIGNING_KEY_FILE', 'SIGNING_CERT_FILE'] as const) {
          if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when NODE_ENV=production (the development signer is refused)' });
        }
      }
    }
    if (c.SIGNER !== 'pkcs11') return;
    for (const key of ['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL', 'PKCS11_KEY_LABEL'] as const) {
      if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when SIGNER=pkcs11' });
    }
    if (!c.PKCS11_PIN && !c.PKCS11_PIN_FILE) {
      ctx.addIssue({ code: 'custom', path: ['PKCS11_PIN'], message: 'PKCS11_PIN or PKCS11_PIN_FILE is required when SIGNER=pkcs11' });
    }
  })
  .transform((c) => ({
    ...c,
    TRUST_DIR: c.TRUST_DIR ?? path.join(c.DATA_DIR, 'trust'),
    TAX_FOLDER: c.TAX_FOLDER ?? path.join(c.DATA_DIR, 'tax-outbox'),
    /** True when TRUST_DIR is the installation's own (under DATA_DIR): the development CA may be put there. */
    trustDirIsDefault: c.TRUST_DIR === undefined,
  }));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads the configuration, naming every bad variable at once. */
/**
 * The process environment over the variables of `.env` in `dir` (the
 * working directory), when there is one: a variable set in the environment
 * wins over the file's, as with `node --env-file`.
 */
export function environment(dir = process.cwd(), env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  let text: string;
  try {
    text = readFileSync(path.join(dir, '.env'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw err;
  }
  return { ...parseEnv(text), ...env };
}

export function loadConfig(env: NodeJS.ProcessEnv = environment()): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (parsed.success) return parsed.data;
  throw new ConfigError(
    parsed.error.issues.map((issue) => {
      const name = issue.path.join('.');
      const value = env[name];
      return `${name}${value !== undefined && value !== '' ? `=${JSON.stringify(value)}` : ''}: ${issue.message}`;
    }),
  );
}

/** Whether the demo seed runs on an empty database. */
export function seedDemoEnabled(config: Config): boolean {
  return config.SEED_DEMO ?? config.DATABASE_URL === undefined;
}
