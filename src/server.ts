import { buildApp } from './app.ts';
import { ConfigError, loadConfig, type Config } from './config/config.ts';
import { firstStart, openMigratedDatabase } from './runtime.ts';
import { X509Certificate } from 'node:crypto';
import { signerCertificateProblem, validAt } from './certificates/chain.ts';
import { openSigner, prepareKeySwitch } from './signing/open.ts';
import { chainsOf } from './signing/pool.ts';
import { getCenter } from './reference/repository.ts';
import { readTrustStore } from './verification/trust.ts';
import { startTaxJob, transportOf } from './tax/service.ts';
import { sendDueMail, smtpTransport } from './mail/sender.ts';
import { startPeriodic } from './ops/periodic.ts';
import { centerMismatch, productionRefusal, signerMismatch } from './signing/production.ts';
import { isDevelopmentCertificate } from './certificates/development.ts';
import { devPaths } from './signing/dev-certificates.ts';

/** Owns the process: configuration, resources, logging, listening and graceful shutdown. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // The signer opens, and production refuses development keys, before the
  // database is touched: a start that fails here creates nothing.
  const signer = await openSigner(config);
  let refusal: string | null = null;
  for (const chain of chainsOf(signer)) refusal ??= await signerRefusal(config, chain);
  if (refusal) {
    await signer.close();
    throw new Error(refusal);
  }
  const database = await openMigratedDatabase(config).catch(async (err: unknown) => {
    await signer.close();
    throw err;
  });
  const center = await getCenter(database.db);
  const mismatch = center && signerMismatch(signer, center.taxCode);
  if (mismatch && config.NODE_ENV === 'production') {
    await signer.close();
    await database.close();
    throw new Error(mismatch);
  }
  if (mismatch) console.warn(`Warning: ${mismatch}`);
  // The real clock; in development, one that starts where DEMO_CLOCK_START says and runs on.
  const offset = config.DEMO_CLOCK_START ? Date.parse(config.DEMO_CLOCK_START) - Date.now() : 0;
  const clock = () => new Date(Date.now() + offset);
  const app = await buildApp({ config, db: database.db, signer, clock }, { logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization'] } });
  app.server.requestTimeout = 30_000;

  let taxJob: { stop(): Promise<void> } | null = null;
  let mailJob: { stop(): Promise<void> } | null = null;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    // A database or token that does not answer must not hold the stop for ever.
    setTimeout(() => {
      console.error(`Stopped after ${SHUTDOWN_GRACE_MS / 1000} s without finishing: requests or jobs were still waiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    await taxJob?.stop();
    await mailJob?.stop();
    await app.close();
    await signer.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  // A renewed certificate on the token: PKCS11_KEY_LABEL changed in .env (or
  // the environment), then SIGHUP. Issuing goes on throughout; a key that
  // fails a check is not switched to, and the old one keeps signing.
  process.on(
    'SIGHUP',
    () =>
      void switchKey().catch((err: unknown) => {
        const message = `Signing key not switched: ${err instanceof Error ? err.message : String(err)}`;
        app.log.error(message);
        console.error(message);
      }),
  );
  const switchKey = async () => {
    const next = loadConfig();
    const prepared = await prepareKeySwitch(next, signer);
    if (!prepared) {
      // The environment wins over .env, and a running process's environment cannot change.
      const fromEnvironment = process.env.PKCS11_KEY_LABEL ? ' (it is set in the service’s environment, which wins over .env: set it in .env only)' : '';
      console.log(`SIGHUP: PKCS11_KEY_LABEL is still "${next.PKCS11_KEY_LABEL}"${fromEnvironment}; nothing to switch`);
      return;
    }
    let why: string | null = null;
    for (const chain of prepared.chains) why ??= (await signerRefusal(config, chain)) ?? (config.NODE_ENV === 'production' ? centerMismatchOf(chain) : null);
    if (why) throw new Error(why);
    prepared.commit();
    const leaf = new X509Certificate(prepared.chain[0]!);
    const message = `Signing key switched to "${prepared.keyLabel}": ${leaf.subject.replaceAll('\n', ', ')}, serial ${leaf.serialNumber}, valid to ${new Date(leaf.validTo).toISOString()}`;
    app.log.info(message);
    console.log(message);
  };
  const centerMismatchOf = (chain: readonly string[]) => (center ? centerMismatch(chain[0]!, center.taxCode) : null);

  const address = await app.listen({ host: config.HOST, port: config.PORT });
  // Seeded only once the port is ours: a start that cannot listen creates no keys it could not print.
  const keys = await firstStart(database, config, clock());
  // The daily job: each ended day's summaries for the tax authority, and the outbox.
  taxJob = startTaxJob(database.db, {
    config,
    signer,
    transport: await transportOf(config),
    now: clock,
    log: (msg, err) => (err ? app.log.error({ err }, msg) : app.log.info(msg)),
  });
  // Receipts and error notices to payers who gave an address, when a mail server is configured.
  if (config.SMTP_URL) {
    const baseUrl = (config.PUBLIC_URL ?? address).replace(/\/$/, '');
    const deps = {
      transport: smtpTransport(config.SMTP_URL),
      from: config.MAIL_FROM ?? `bienlai@${new URL(baseUrl).hostname}`,
      baseUrl,
      verifier: app.verifier,
      trustDir: config.TRUST_DIR,
      now: clock,
    };
    mailJob = startPeriodic(
      config.MAIL_INTERVAL_SECONDS * 1000,
      async () => {
        const { sent, failed } = await sendDueMail(database.db, deps);
        if (sent > 0 || failed > 0) app.log.info(`mail to payers: ${sent} sent, ${failed} failed`);
      },
      (err) => app.log.error({ err }, 'sending mail failed; it runs again at the next tick'),
    );
  }
  const where = database.embedded ? `embedded database in ${config.DATA_DIR}` : 'PostgreSQL';
  // The banner is one write: a reader of the pipe (a supervisor, a test) sees it whole or not at all.
  const banner = [`Receipts service listening on ${address} (${where}, ${signer.kind} signer)`, `API docs: ${address}/docs`];
  if (isDevelopmentCertificate(signer.certificateChain[0]!)) {
    const what = signer.kind === 'pkcs11' ? 'a development certificate on the token' : `this installation's development key (${devPaths(config.DATA_DIR).dir})`;
    banner.push(`Signing with ${what}: not for production; documents verify against ${config.TRUST_DIR} only`);
  }
  if (config.DEMO_CLOCK_START) banner.push(`Clock started at ${config.DEMO_CLOCK_START} (DEMO_CLOCK_START): development only, documents are dated by it`);
  if (keys) {
    banner.push(
      '',
      `Demo center created. Staff console: ${address}/console — sign in as (shown once, keep them):`,
      ...keys.map((k) => `  ${k.role.padEnd(10)} username ${k.username.padEnd(10)} password ${k.password}`),
      'API keys for programs (shown once, keep them):',
      ...keys.map((k) => `  ${k.role.padEnd(10)} ${k.secret}`),
      '',
    );
  }
  console.log(banner.join('\n'));
}

/**
 * Why a signing certificate must not sign here: production refuses development
 * keys and chains its verifier would refuse; a shifted clock (DEMO_CLOCK_START)
 * dates what it signs, so only a development certificate may use it.
 */
async function signerRefusal(config: Config, chain: readonly string[]): Promise<string | null> {
  // Whatever the mode: a certificate whose documents every verifier refuses does not sign.
  const unusable = signerCertificateProblem(new X509Certificate(chain[0]!));
  if (unusable) return `the signing certificate cannot sign verifiable documents: ${unusable}`;
  // Not yet valid, or expired: every verifier would refuse what it signs now.
  const validity = validAt(
    chain.map((pem) => new X509Certificate(pem)),
    new Date(),
  );
  if (!validity.passed) return `the signing certificate cannot sign verifiable documents now: ${validity.reason}`;
  if (config.NODE_ENV === 'production') return productionRefusal(chain, await readTrustStore(config.TRUST_DIR), config.TRUST_DIR);
  if (config.DEMO_CLOCK_START && !isDevelopmentCertificate(chain[0]!)) {
    return 'DEMO_CLOCK_START is refused with a real signing certificate: documents it signs are dated by the real clock';
  }
  return null;
}

/** How long a stop waits for requests and jobs in flight. */
const SHUTDOWN_GRACE_MS = 10_000;

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `Cannot start: ${err.message}` : err);
  process.exit(1);
});
