import t from 'tap';
import { VerificationPool } from '../../src/verification/pool.ts';
import { checkNames } from '../../src/verification/verifier.ts';
import { testPki, devFileSigner, type TestPki } from '../helpers/pki.ts';
import { buildReceiptXml } from '../../src/receipts/xml.ts';
import { signDocument } from '../../src/signing/xml-signature.ts';
import { amountInWords } from '../../src/money/words.ts';

async function signedReceipt(pki: TestPki): Promise<Buffer> {
  const center = { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', taxCode: '0100000001', address: '01 Đường Trần Phú' };
  const today = new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);
  const xml = buildReceiptXml({
    dataId: 'BL-pool-1',
    series: `${today.slice(2, 4)}TTP`,
    number: 1,
    issueDate: today,
    paymentMethod: 'cash',
    lookupCode: 'ABCDEFGHJKLM',
    department: { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011', address: null },
    center,
    payer: { name: 'Nguyễn Văn An' },
    items: [{ line: 1, feeCode: 'STP-LLTP', name: 'Phí', kind: 'fee', quantity: 1, unitPrice: 200_000, amount: 200_000 }],
    total: 200_000,
    totalInWords: amountInWords(200_000),
  });
  return Buffer.from(await signDocument(xml, await devFileSigner(pki), { root: 'BLai', dataId: 'BL-pool-1', signingTime: new Date() }));
}

t.test('a verification that runs out of time is stopped and the document refused, in the usual shape', async (t) => {
  const pool = new VerificationPool({ threads: 1, timeoutMs: 1 });
  t.teardown(() => pool.close());
  const xml = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><BLai>${'<a/>'.repeat(90_000)}</BLai>`);
  const result = await pool.verify(xml, { trustDir: (await testPki()).trustDir, now: new Date() });
  t.equal(result.valid, false);
  t.same(
    result.checks.map((c) => c.name),
    [...checkNames],
    'one entry per check',
  );
  t.match(
    result.checks.find((c) => c.name === 'size'),
    { passed: false, reason: 'verification was stopped after 0.001 s (waiting for a thread included); the document is refused' },
  );
  t.equal(result.checks.find((c) => c.name === 'certificate-chain')?.passed, false, 'nothing after it is established');
});

t.test('in production, a development CA in the trust directory vouches for nothing', async (t) => {
  const pki = await testPki();
  const dev = new VerificationPool({ threads: 1 });
  const production = new VerificationPool({ threads: 1, production: true });
  t.teardown(async () => {
    await dev.close();
    await production.close();
  });
  const xml = await signedReceipt(pki);
  const opts = { trustDir: pki.trustDir, now: new Date() };
  t.equal((await dev.verify(xml, opts)).valid, true, 'in development it does');
  const refused = await production.verify(xml, opts);
  t.equal(refused.valid, false);
  t.match(
    refused.checks.find((c) => c.name === 'certificate-chain'),
    { passed: false, reason: /^no chain from .*Receipts Development CA/ },
  );
});
