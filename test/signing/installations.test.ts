import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import t from 'tap';
import { loadConfig } from '../../src/config/config.ts';
import { openSigner } from '../../src/signing/open.ts';
import { auth, issue, testApp, type TestContext } from '../helpers/app.ts';

interface Installation {
  dir: string;
  ctx: TestContext;
  ca: string;
}

function cliVerify(file: string, dataDir: string): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('node', ['bin/receipts.js', 'verify', file], { env: { ...process.env, DATA_DIR: dataDir, TRUST_DIR: '' } }, (err, stdout) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
    );
  });
}

t.test('two fresh installations do not accept each other’s documents, online or offline', async (t) => {
  const dirs = await Promise.all(['a', 'b'].map((n) => mkdtemp(path.join(tmpdir(), `receipts-install-${n}-`))));
  t.teardown(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const [a, b] = (await Promise.all(
    dirs.map(async (dir) => {
      const signer = await openSigner(loadConfig({ DATA_DIR: dir }));
      const ctx = await testApp('postgres', { signer, env: { DATA_DIR: dir } });
      t.teardown(() => ctx.close());
      return { dir, ctx, ca: await readFile(path.join(dir, 'trust', 'development-ca.pem'), 'utf8') };
    }),
  )) as [Installation, Installation];
  t.not(a.ca, b.ca, 'each installation made its own CA');

  const receipt = (await issue(a.ctx)).json();
  const xml = (await a.ctx.app.inject({ url: `/v1/receipts/${receipt.id}/xml`, headers: auth(a.ctx.keys.auditor) })).rawPayload;
  const verify = (ctx: TestContext) => ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: xml });
  t.equal((await verify(a.ctx)).json().valid, true, 'its own installation accepts it');
  const other = (await verify(b.ctx)).json();
  t.equal(other.valid, false, 'another installation refuses it');
  t.match(
    other.checks.find((c: { name: string }) => c.name === 'certificate-chain'),
    { passed: false, reason: /^no chain from ".*Receipts Development CA [0-9a-f]{8}" to a trusted CA$/ },
  );

  const file = path.join(a.dir, 'receipt.xml');
  await writeFile(file, xml);
  const own = await cliVerify(file, a.dir);
  t.equal(own.code, 0, own.stdout);
  t.match(own.stdout, /Trusted a DEVELOPMENT CA/);
  const foreign = await cliVerify(file, b.dir);
  t.equal(foreign.code, 1, 'offline, the other installation refuses it too');
  t.match(foreign.stdout, /^FAIL .*certificate-chain: no chain from/m);
});
