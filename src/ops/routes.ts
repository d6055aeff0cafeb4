import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { SignerPool } from '../signing/pool.ts';
import { access } from '../http/access.ts';
import { AppError } from '../http/errors.ts';
import { describeCertificate } from '../certificates/pem.ts';
import { storageProblem } from './storage.ts';

const signerSchema = z.object({
  kind: z.enum(['file', 'pkcs11']),
  signatureMethod: z.string(),
  usable: z.boolean().describe('A probe signature verified with the certificate just now (or, for a token session, a signature made in the last 5 s)'),
  certificate: z.object({
    subject: z.string(),
    issuer: z.string(),
    serialNumber: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    fingerprintSha256: z.string(),
  }),
  chainPem: z.array(z.string()).describe('Signer certificate first, then its CAs'),
  tokens: z
    .array(z.object({ name: z.string().describe('Token label and session number'), up: z.boolean(), busy: z.number().int(), signed: z.number().int() }))
    .describe('Each token session of the signer pool (empty for a file signer): up or taken out, signatures in progress, signatures made since start'),
  queued: z.number().int().describe('Counter requests waiting for their series to be issued'),
});

const opsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { schema: { tags: ['Operations'], summary: 'The process is up', response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Database and signer are usable',
        response: { 200: z.object({ status: z.literal('ready'), database: z.boolean(), signer: z.boolean(), storage: z.boolean() }) },
      },
    },
    async () => {
      // Answered within a bound: a database that does not answer is not ready.
      let problem = '';
      const database = await Promise.race([
        app.db.ping().then(
          () => true,
          (err: unknown) => {
            problem = err instanceof Error ? `: ${err.message}` : '';
            return false;
          },
        ),
        new Promise<false>((resolve) =>
          setTimeout(() => {
            problem = ': no answer in 3 s';
            resolve(false);
          }, 3_000).unref(),
        ),
      ]);
      const signer = await app.signer.healthy();
      const storage = await storageProblem(app.config.DATA_DIR, app.config.DISK_FREE_MIN_MB);
      if (!database || !signer || storage) {
        throw new AppError('NOT_READY', `database ${database ? 'ok' : `unreachable${problem}`}, signer ${signer ? 'ok' : 'unusable'}, storage ${storage ?? 'ok'}`);
      }
      return { status: 'ready' as const, database, signer, storage: true };
    },
  );

  app.get(
    '/metrics',
    {
      config: { roles: access.metrics },
      schema: { tags: ['Operations'], summary: 'Prometheus metrics (a monitor or admin key)', hide: true },
    },
    async (_request, reply) => reply.type(app.metrics.registry.contentType).send(await app.metrics.registry.metrics()),
  );

  app.get(
    '/v1/signer',
    {
      config: { roles: access.anyKey },
      schema: { tags: ['Operations'], summary: 'The signing certificate and whether the token can sign now', response: { 200: signerSchema } },
    },
    async () => ({
      kind: app.signer.kind,
      signatureMethod: app.signer.signatureMethod,
      usable: await app.signer.healthy(),
      certificate: describeCertificate(app.signer.certificateChain[0]!),
      chainPem: [...app.signer.certificateChain],
      tokens: app.signer instanceof SignerPool ? app.signer.status() : [],
      queued: app.issuing.waiting,
    }),
  );
};

export default opsRoutes;
