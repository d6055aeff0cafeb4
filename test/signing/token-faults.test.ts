import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/config.ts';
import { openSigner } from '../../src/signing/open.ts';
import { initSoftHsmToken } from '../../scripts/softhsm.ts';
import { auth, issue, testApp } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/db.ts';
import { buildFaultShim } from '../helpers/fault-shim.ts';
import { testPki } from '../helpers/pki.ts';
import { startServer } from '../helpers/server.ts';
import { tempDir } from '../helpers/temp.ts';

/**
 * SoftHSM2 behind a small PKCS#11 module of ours (test/helpers/pkcs11-fault-shim.c)
 * that pretends the token is pulled out while a file says "removed", and logs
 * each login: compiled here, as the tests run.
 */
const dir = await tempDir(t, 'receipts-token-faults-');
const shim = buildFaultShim(dir);
const pki = await testPki();
const token = await initSoftHsmToken({ dir: path.join(dir, 'hsm'), tokenLabel: 'fault-token', keyLabel: 'center-key', pin: '246810', dataDir: pki.dataDir });
const state = path.join(dir, 'token-state');
const logins = path.join(dir, 'logins');
process.env.FAULT_SHIM_MODULE = token.module;
process.env.FAULT_SHIM_STATE = state;
process.env.FAULT_SHIM_LOG = logins;
const env = {
  SIGNER: 'pkcs11',
  PKCS11_MODULE: shim,
  PKCS11_TOKEN_LABEL: token.tokenLabel,
  PKCS11_KEY_LABEL: token.keyLabel,
  PKCS11_PIN: token.pin,
};
const pull = () => writeFile(state, 'removed');
const plugIn = () => writeFile(state, 'present');
const loginLines = async () => (await readFile(logins, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);

t.test('the token pulled out mid-issuing and put back: 503 SIGNER_UNAVAILABLE meanwhile, no number used, signing again without a restart', async (t) => {
  await plugIn();
  const signer = await openSigner(loadConfig({ ...env, DATA_DIR: pki.dataDir }));
  const ctx = await testApp('postgres', { signer });
  t.teardown(async () => {
    await ctx.close();
    await signer.close();
  });
  const first = await issue(ctx);
  t.equal(first.statusCode, 201);
  t.equal(first.json().number, 1);

  await pull();
  const out = await Promise.all([issue(ctx), issue(ctx), issue(ctx)]);
  t.same(
    out.map((r) => r.statusCode),
    [503, 503, 503],
  );
  t.same(
    out.map((r) => r.json().code),
    ['SIGNER_UNAVAILABLE', 'SIGNER_UNAVAILABLE', 'SIGNER_UNAVAILABLE'],
  );
  const ready = await ctx.app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.match(ready.json().detail, 'signer unusable');
  const counters = await ctx.database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM receipts');
  t.equal(counters.rows[0]!.n, 1, 'nothing stored while the token was out');

  await plugIn();
  const back = await issue(ctx);
  t.equal(back.statusCode, 201, 'the first issue after the token is back opens a new session and signs');
  t.equal(back.json().number, 2, 'no number was used while the token was out');
  t.equal((await ctx.app.inject({ url: '/readyz' })).statusCode, 200);
  const info = (await ctx.app.inject({ url: '/v1/signer', headers: auth(ctx.keys.cashier) })).json();
  t.equal(info.usable, true);

  // Out and back again, with requests in between: it recovers every time.
  await pull();
  t.equal((await issue(ctx)).statusCode, 503);
  await plugIn();
  const third = await issue(ctx);
  t.equal(third.statusCode, 201);
  t.equal(third.json().number, 3);
});

t.test('a wrong PIN is tried once: restarts with it never log in again, so a real token cannot be locked by a supervisor', async (t) => {
  await plugIn();
  await writeFile(logins, '');
  const dataDir = await tempDir(t, 'receipts-pin-');
  const db = await freshDatabase('postgres');
  t.teardown(() => db.close());
  const run = { ...env, DATA_DIR: dataDir, TRUST_DIR: path.join(pki.dataDir, 'trust'), DATABASE_URL: db.url! };

  const wrong = await startServer({ ...run, PKCS11_PIN: '000000' }).then(
    () => 'started',
    (e: Error) => e.message,
  );
  t.match(wrong, /Cannot start: .*CKR_PIN_INCORRECT/);
  t.same(await loginLines(), ['C_Login 0xa0'], 'one login, refused (CKR_PIN_INCORRECT = 0xa0)');
  t.equal((await stat(path.join(dataDir, 'pkcs11-pin-refused.json'))).mode & 0o777, 0o600);
  t.notMatch(await readFile(path.join(dataDir, 'pkcs11-pin-refused.json'), 'utf8'), '000000', 'the refused PIN is not written down');

  for (let i = 0; i < 3; i++) {
    const again = await startServer({ ...run, PKCS11_PIN: '000000' }).then(
      () => 'started',
      (e: Error) => e.message,
    );
    t.match(again, /Cannot start: token "fault-token" refused this PIN at \S+ \(CKR_PIN_INCORRECT\); it is not tried again/);
  }
  t.same(await loginLines(), ['C_Login 0xa0'], 'three restarts with the same PIN: no login attempt reached the token');

  const right = await startServer(run);
  t.teardown(() => right.child.kill('SIGKILL'));
  t.match(
    right.output(),
    /Demo center created\. Staff console: \S+ — sign in as \(shown once, keep them\):\n\s+admin\s+username admin\s+password \S+[\s\S]*API keys for programs \(shown once, keep them\):\n\s+admin\s+rk_admin_/,
    'the failed first starts created nothing: the first good one seeds and prints the demo keys',
  );
  t.same(await loginLines(), ['C_Login 0xa0', 'C_Login 0x0'], 'the right PIN is tried, and works');
  await t.rejects(stat(path.join(dataDir, 'pkcs11-pin-refused.json')), { code: 'ENOENT' }, 'a PIN that worked clears the record');
  t.equal(await right.stop(), 0);
});
