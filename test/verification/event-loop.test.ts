import t from 'tap';
import { request } from 'undici';
import { buildDailySummaryXml } from '../../src/tax/daily-summary.ts';
import { signDocument } from '../../src/signing/xml-signature.ts';
import { auth, testApp } from '../helpers/app.ts';
import { devFileSigner } from '../helpers/pki.ts';

// A day's summary of 3,000 receipts (~33,000 elements, 700 KB): genuine, so every check runs to the end.
async function bigSummary(): Promise<string> {
  const day = '2026-11-20';
  const receipts = Array.from({ length: 3000 }, (_, i) => ({
    receiptId: `r-${i}`,
    template: 'EBL01',
    series: '26TTP',
    number: i + 1,
    issueDate: day,
    payerName: 'Nguyễn Văn An',
    names: 'Phí cung cấp thông tin lý lịch tư pháp',
    fee: 200_000,
    charge: 100_000,
    total: 300_000,
    status: 'issued' as const,
    notices: 0,
    replaces: null,
    replacedBy: null,
  }));
  const xml = buildDailySummaryXml(
    {
      dataId: 'TH-big',
      date: day,
      createdAt: new Date(),
      chainHead: { seq: 1, hash: 'ab'.repeat(32) },
      center: { name: 'Trung tâm', taxCode: '0100000001', address: 'Tỉnh Demo' },
      organization: { name: 'Sở Tư pháp', taxCode: '0100000011' },
      supplement: 0,
      sequence: 1,
    },
    receipts,
  );
  return signDocument(xml, await devFileSigner(), { root: 'BTHDLieu', dataId: 'TH-big', signingTime: new Date() });
}

t.test('verification runs off the event loop: /healthz keeps answering while a large document is verified', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const base = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const xml = await bigSummary();

  const started = performance.now();
  let done = false;
  const verification = request(`${base}/v1/verify`, {
    method: 'POST',
    body: xml,
    headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' },
  }).then(async (res) => {
    done = true;
    return { status: res.statusCode, body: (await res.body.json()) as { valid: boolean; checks: Array<{ name: string; passed: boolean }> } };
  });
  const latencies: number[] = [];
  while (!done) {
    const at = performance.now();
    const health = await request(`${base}/healthz`);
    await health.body.dump();
    latencies.push(performance.now() - at);
    await new Promise((r) => setTimeout(r, 10));
  }
  const { status, body } = await verification;
  const verifyMs = performance.now() - started;
  const worst = Math.max(...latencies);
  t.equal(status, 200);
  t.same(
    body.checks.filter((c) => !c.passed).map((c) => c.name),
    ['record-match'],
    'every check ran (the summary is not the center’s record)',
  );
  t.ok(latencies.length >= 5, `${latencies.length} health checks answered during ${Math.round(verifyMs)} ms of verification`);
  // On the event loop, the verification would hold /healthz for most of its duration.
  t.ok(worst < Math.min(500, verifyMs / 4), `the slowest /healthz took ${Math.round(worst)} ms`);
});
