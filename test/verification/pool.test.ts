import t from 'tap';
import { VerificationPool } from '../../src/verification/pool.ts';
import { checkNames } from '../../src/verification/verifier.ts';
import { testPki } from '../helpers/pki.ts';

t.test('a verification that runs out of time is stopped and the document refused, in the usual shape', async (t) => {
  const pool = new VerificationPool(1, 1);
  t.teardown(() => pool.close());
  const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><BLai>${'<a/>'.repeat(90_000)}</BLai>`);
  const result = await pool.verify(xml, { trustDir: (await testPki()).trustDir, now: new Date() });
  t.equal(result.valid, false);
  t.same(result.checks.map((c) => c.name), [...checkNames], 'one entry per check');
  t.match(result.checks.find((c) => c.name === 'size'), { passed: false, reason: 'verification was stopped after 0.001 s (waiting for a thread included); the document is refused' });
  t.equal(result.checks.find((c) => c.name === 'certificate-chain')?.passed, false, 'nothing after it is established');
});
