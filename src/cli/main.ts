import { X509Certificate } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { backupEmbedded, restoreEmbedded } from '../db/backup.ts';
import { resumeSeries } from '../receipts/holds.ts';
import { holdAllSeries } from '../receipts/repository.ts';
import path from 'node:path';
import { Command } from 'commander';
import forge from 'node-forge';
import { certificateRequest, generateKey, installCertificate, withTokenSession } from '../signing/token-admin.ts';
import { createApiKey, createApiKeySchema, listApiKeys, apiKeyView, revokeApiKey } from '../auth/api-keys.ts';
import { roles } from '../http/access.ts';
import { ConfigError, loadConfig } from '../config/config.ts';
import { seedDemo } from '../reference/demo.ts';
import { openMigratedDatabase } from '../runtime.ts';
import type { Database } from '../db/connect.ts';
import { describeToken } from '../signing/token-info.ts';
import { allStaff } from '../staff/repository.ts';
import { createStaffSchema } from '../staff/schemas.ts';
import { createStaff } from '../staff/service.ts';
import { configuredPin, openSigner, refusedPinFile } from '../signing/open.ts';
import { makeDaySummaries } from '../tax/daily-summary.ts';
import { sendPending } from '../tax/sender.ts';
import { taxRound, transportOf } from '../tax/service.ts';
import { verifyFiles, verifyPeriod } from './verify.ts';
import { z } from 'zod';
import { isoDate } from '../time/dates.ts';

/** Runs `work` with the configured, migrated database, and closes it. */
async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  const database = await openMigratedDatabase(loadConfig(), 'command');
  try {
    return await work(database);
  } finally {
    await database.close();
  }
}

/** The CLI runs with the server's configuration on the server's machine: its operator. */
const CLI_ACTOR = { keyId: null, name: `cli (${process.env.USER ?? 'operator'})` };

const program = new Command('receipts').description('E-receipt service administration').showHelpAfterError();

program
  .command('migrate')
  .description('Apply database migrations')
  .action(() =>
    withDatabase(async () => {
      console.log('Database schema is up to date');
    }),
  );

program
  .command('seed-demo')
  .description('Create the demo center, departments, fees and series (no keys)')
  .action(() =>
    withDatabase(async ({ db }) => {
      await seedDemo(db);
      console.log('Demo configuration present');
    }),
  );

const keys = program.command('keys').description('Manage API keys');
keys
  .command('create')
  .description('Create a key; the secret is printed once, alone on the last line')
  .requiredOption('--role <role>', roles.join('|'))
  .option('--name <name>', 'who holds the key: the staff member of that name (look-alike names count as one), or a new one; with --staff, the key’s label')
  .option('--staff <id>', 'the staff member the key belongs to (needed when several have a name like --name)')
  .option('--counter <code>', 'counter a cashier key is tied to')
  .option('--scope <scope>', 'receipts a cashier key may ask to correct or refund: counter (default) or center')
  .action((opts: { role: string; name?: string; staff?: string; counter?: string; scope?: string }) =>
    withDatabase(async ({ db }) => {
      const input = createApiKeySchema.parse({ role: opts.role, name: opts.name, staffId: opts.staff, counter: opts.counter, scope: opts.scope });
      const { key, secret } = await db.transaction((tx) => createApiKey(tx, input, CLI_ACTOR));
      console.log(
        `Created ${key.role} key ${key.id} (${key.name}) for ${key.staff.name} (${key.staff.id})${key.counter ? ` at counter ${key.counter}` : ''}${key.scope === 'center' ? ', center scope' : ''}`,
      );
      console.log(secret);
    }),
  );
keys
  .command('list')
  .description('List keys (never their secrets)')
  .action(() =>
    withDatabase(async ({ db }) => {
      const rows = (await listApiKeys(db, { limit: 10_000 })).map(apiKeyView);
      for (const k of rows) {
        console.log([k.id, k.role.padEnd(10), k.prefix, k.revokedAt ? `revoked ${k.revokedAt}` : 'active', k.counter ?? '-', k.scope, k.name, `(${k.staff.name})`].join('  '));
      }
      if (rows.length === 0) console.log('No API keys');
    }),
  );
keys
  .command('revoke <id>')
  .description('Revoke a key; it stops working at once')
  .action((id: string) =>
    withDatabase(async ({ db }) => {
      z.object({ id: z.uuid('must be a key id') }).parse({ id });
      const k = await db.transaction((tx) => revokeApiKey(tx, id, CLI_ACTOR, new Date()));
      console.log(`Revoked ${k.id} (${k.name}) at ${k.revokedAt}`);
    }),
  );

const staff = program.command('staff').description('The people behind keys');
staff
  .command('create')
  .description('Add a staff member, once per person')
  .requiredOption('--name <name>', 'full name')
  .option('--distinct-from <ids...>', 'staff members with a look-alike name who are other people')
  .action((opts: { name: string; distinctFrom?: string[] }) =>
    withDatabase(async ({ db }) => {
      const input = createStaffSchema.parse({ name: opts.name, distinctFrom: opts.distinctFrom });
      const member = await db.transaction((tx) => createStaff(tx, input, CLI_ACTOR, new Date()));
      console.log(`Created staff member ${member.id} (${member.name})`);
    }),
  );
staff
  .command('list')
  .description('List staff members')
  .action(() =>
    withDatabase(async ({ db }) => {
      const people = await allStaff(db);
      for (const p of people) console.log([p.id, p.disabledAt ? `disabled ${p.disabledAt}` : 'active', p.name].join('  '));
      if (people.length === 0) console.log('No staff members');
    }),
  );

const token = program.command('token').description('PKCS#11 token: PKCS11_MODULE, PKCS11_TOKEN_LABEL and the PIN from the configuration');
token
  .command('info')
  .description('Slots, keys and certificates on the configured PKCS#11 module')
  .action(async () => {
    const config = loadConfig();
    if (!config.PKCS11_MODULE) throw new ConfigError(['PKCS11_MODULE: is required for token info']);
    console.log(await describeToken(config));
  });
token
  .command('keygen')
  .description('Generate an RSA key pair on the token (never extractable); a label in use is refused')
  .requiredOption('--label <label>', 'the new key’s label, e.g. center-signing-2027')
  .option('--bits <bits>', '2048 or 3072', '2048')
  .action(async (opts: { label: string; bits: string }) => {
    const bits = Number(opts.bits);
    if (bits !== 2048 && bits !== 3072) throw new Error('--bits must be 2048 or 3072');
    const key = await withTokenSession(tokenAccess(loadConfig()), (lib, session) => generateKey(lib, session, opts.label, bits));
    const spki = forge.asn1.toDer(forge.pki.publicKeyToAsn1(key)).getBytes();
    console.log(`Generated ${bits}-bit RSA key "${opts.label}" on the token; public key SHA-256 ${forge.md.sha256.create().update(spki).digest().toHex()}`);
  });
token
  .command('csr')
  .description('A PKCS#10 certificate request for a key on the token, signed by it, for the CA')
  .requiredOption('--label <label>', 'the key’s label')
  .requiredOption('--subject <dn>', 'e.g. "C=VN,ST=…,L=…,O=Trung tâm Phục vụ hành chính công tỉnh …,CN=…" (commas separate attributes)')
  .option('--tax-code <mst>', 'the center’s tax code, written UID=MST:<code> as Vietnamese CAs do')
  .option('--out <file>', 'write the request here instead of printing it')
  .action(async (opts: { label: string; subject: string; taxCode?: string; out?: string }) => {
    if (opts.taxCode && !/^\d{10}(-\d{3})?$/.test(opts.taxCode)) throw new Error('--tax-code must be 10 digits, or 10-3 for a branch');
    const pem = await withTokenSession(tokenAccess(loadConfig()), (lib, session) => certificateRequest(lib, session, opts.label, opts.subject, opts.taxCode));
    if (opts.out) {
      await writeFile(opts.out, pem, { flag: 'wx' });
      console.log(`Certificate request for "${opts.label}" written to ${opts.out}: send it to the CA`);
    } else process.stdout.write(pem);
  });
token
  .command('install-cert <file>')
  .description('Store the certificate the CA issued beside its key on the token (it must certify that key)')
  .requiredOption('--label <label>', 'the key’s label')
  .action(async (file: string, opts: { label: string }) => {
    const pem = await readFile(file, 'utf8');
    const cert = await withTokenSession(tokenAccess(loadConfig()), (lib, session) => installCertificate(lib, session, opts.label, pem));
    const x509 = new X509Certificate(forge.pki.certificateToPem(cert));
    console.log(`Installed on the token for "${opts.label}": ${x509.subject.replaceAll('\n', ', ')}, valid to ${new Date(x509.validTo).toISOString()}`);
    console.log(
      'Switch to it without stopping issuing: set PKCS11_KEY_LABEL to this label in the .env the service reads (not in its environment, which wins and cannot change) and send the service SIGHUP',
    );
  });

function tokenAccess(config: ReturnType<typeof loadConfig>) {
  const missing = (['PKCS11_MODULE', 'PKCS11_TOKEN_LABEL'] as const).filter((k) => !config[k]);
  const pin = configuredPin(config);
  if (missing.length || !pin)
    throw new ConfigError([...missing.map((k) => `${k}: is required for token commands`), ...(pin ? [] : ['PKCS11_PIN: is required for token commands (or PKCS11_PIN_FILE)'])]);
  return { module: config.PKCS11_MODULE!, tokenLabel: config.PKCS11_TOKEN_LABEL!, pin, refusedPinFile: refusedPinFile(config) };
}

program
  .command('backup <file>')
  .description('Back up the embedded database to <file> (.tar.gz) while the service runs; with DATABASE_URL, use your PostgreSQL’s own backups')
  .action(async (file: string) => {
    const config = loadConfig();
    if (config.DATABASE_URL) throw new Error('DATABASE_URL is set: back that server up with pg_dump or its own backups; receipts backup is for the embedded database');
    if (
      await stat(file).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`${file} exists: choose a new file name`);
    const done = await backupEmbedded(config.DATA_DIR, path.resolve(file));
    console.log(
      `Backed up ${done.receipts} receipts, and those committed while the backup ran, to ${file} (${(done.bytes / 2 ** 20).toFixed(1)} MB, ${done.walSegments} WAL segment${done.walSegments === 1 ? '' : 's'})`,
    );
  });
program
  .command('restore <file>')
  .description('Restore a backup made by receipts backup into DATA_DIR (the service must be stopped)')
  .option('--replace', 'keep the database now in DATA_DIR aside (postgres.before-restore-…) and restore over it')
  .action(async (file: string, opts: { replace?: boolean }) => {
    const config = loadConfig();
    if (config.DATABASE_URL) throw new Error('DATABASE_URL is set: receipts restore is for the embedded database');
    // Receipts handed out after the backup are not in it: their numbers must not be issued again.
    let held = 0;
    const done = await restoreEmbedded(config.DATA_DIR, path.resolve(file), {
      replace: opts.replace ?? false,
      afterRecovery: async (db) => {
        held = await holdAllSeries(db, `restored on ${new Date().toISOString()} from ${path.basename(file)}`);
      },
    });
    console.log(`Restored ${done.receipts} receipts into ${config.DATA_DIR}${done.keptAs ? `; the database that was there is kept in ${done.keptAs}` : ''}`);
    console.log(`Every series (${held}) is held: receipts handed out after the backup are not in it, and their numbers must not be issued again.`);
    console.log('For each series, find the last number handed out (the counters’ copies, the payers’ mail, the tax authority’s copy of the summaries) and go on after it:');
    for (const s of done.series) console.log(`  npx receipts series resume --series ${s.symbol} --next <number>    (the backup goes on from ${s.next})`);
  });

program
  .command('series')
  .description('Series')
  .command('resume')
  .description('After a restore: the number a held series goes on from, past the last one handed out (forward only, audited)')
  .requiredOption('--series <symbol>', 'the series symbol, e.g. 26TTP')
  .requiredOption('--next <number>', 'the next number to issue')
  .action((opts: { series: string; next: string }) =>
    withDatabase(async ({ db }) => {
      const next = Number(opts.next);
      if (!/^\d{1,8}$/.test(opts.next)) throw new Error('--next must be a receipt number (1–8 digits)');
      const done = await db.transaction((tx) => resumeSeries(tx, opts.series, next, CLI_ACTOR, new Date()));
      console.log(
        `Series ${opts.series} issues again from ${done.next}${done.skipped ? ` (${done.skipped} number${done.skipped === 1 ? '' : 's'} from ${done.from} skipped: handed out before the restore)` : ''}`,
      );
    }),
  );

const tax = program.command('tax').description('Reporting to the tax authority');
tax
  .command('run')
  .description('Make every summary and supplement due (each ended day) and send what is pending, as the server’s daily job does')
  .option('--date <date>', 'only this ended day’s summaries, then send')
  .action((opts: { date?: string }) =>
    withDatabase(async ({ db }) => {
      const config = loadConfig();
      const date = opts.date === undefined ? undefined : isoDate.parse(opts.date);
      const signer = await openSigner(config);
      try {
        const deps = { config, signer, transport: await transportOf(config), now: () => new Date() };
        const { made, failed } = date
          ? { made: await makeDaySummaries(db, date, { signer, now: new Date(), actor: CLI_ACTOR, config }), failed: [] }
          : await taxRound(db, { ...deps, transport: null });
        for (const m of made) console.log(`made ${m.dataId} (${m.supplement === 0 ? 'first submission' : `supplement ${m.supplement}`}, Số ${m.sequence}, ${m.receipts} rows)`);
        for (const f of failed) console.error(`the summaries of ${f.day} could not be made: ${f.reason}`);
        if (failed.length > 0) process.exitCode = 1;
        const sent = deps.transport ? await sendPending(db, deps.transport, deps.now) : null;
        console.log(sent ? `outbox: ${sent.sent} sent, ${sent.failed} failed${sent.waiting ? ', the next waits for its retry time' : ''}` : 'outbox: TAX_TRANSPORT=off, nothing sent');
        if (sent && sent.failed > 0) process.exitCode = 1;
      } finally {
        await signer.close();
      }
    }),
  );

program
  .command('verify')
  .description('Verify signed documents offline (no server, no database); exit 0 only if all pass')
  .argument('[files...]', 'XML documents: receipts, refund vouchers, error notices, daily summaries')
  .option('--from <date>', 'instead of files: audit every stored document from this Vietnamese calendar day (needs the database)')
  .option('--to <date>', 'last day of the audited period, inclusive')
  .option('--json', 'print the full result as JSON')
  .action(async (files: string[], opts: { json?: boolean; from?: string; to?: string }) => {
    const config = loadConfig();
    if (opts.from || opts.to) {
      const period = z
        .object({ from: isoDate, to: isoDate })
        .refine((p) => p.from <= p.to, { message: 'is after --to', path: ['from'] })
        .parse({ from: opts.from, to: opts.to });
      process.exitCode = await verifyPeriod(config, period, opts);
    } else if (files.length === 0) {
      throw new Error('name the files to verify, or a period with --from and --to');
    } else {
      process.exitCode = await verifyFiles(config, files, opts);
    }
  });

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else if (err && typeof err === 'object' && 'issues' in err) {
    for (const issue of (err as { issues: Array<{ path: PropertyKey[]; message: string }> }).issues) {
      console.error(`${issue.path.join('.')}: ${issue.message}`);
    }
  } else console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
