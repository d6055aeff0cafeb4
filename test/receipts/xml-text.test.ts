import { DOMParser } from '@xmldom/xmldom';
import t from 'tap';
import { auth, demoReceipt, issue, testApp } from '../helpers/app.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

/**
 * Text that looks like an XML reference (&quot; &nbsp; &#1;), typed by a
 * cashier or a payer, is signed as the characters typed: the signed XML reads
 * back exactly what was stored, verifies, and is well-formed.
 */
t.test('reference-like text is signed as typed: the XML reads back what was stored, and verifies', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const name = 'Nguyễn &quot;Tèo&quot; &nbsp; &#1; &amp; <b>';
  const address = 'Số 5 &x; ngõ &apos;3&apos;';
  const itemName = 'Phí &lt;đặc biệt&gt; &#x41;';
  const res = await issue(ctx, { ...demoReceipt, payer: { name, address }, items: [{ name: itemName, kind: 'fee', amount: 10_000 }] });
  t.equal(res.statusCode, 201);
  t.equal(res.json().payer.name, name);
  const xml = (await ctx.app.inject({ url: `/v1/receipts/${res.json().id}/xml`, headers: auth(ctx.keys.auditor) })).rawPayload;
  t.match(xml.toString(), /<Ten>Nguyễn &amp;quot;Tèo&amp;quot; &amp;nbsp; &amp;#1; &amp;amp; &lt;b&gt;<\/Ten>/);
  const doc = new DOMParser().parseFromString(xml.toString(), 'text/xml');
  const payer = doc.getElementsByTagName('NNop')[0]!;
  t.equal(payer.getElementsByTagName('Ten')[0]!.textContent, name);
  t.equal(payer.getElementsByTagName('DChi')[0]!.textContent, address);
  t.equal(doc.getElementsByTagName('Khoan')[0]!.getElementsByTagName('Ten')[0]!.textContent, itemName);
  const verified = await xmlsecVerify(xml);
  t.ok(verified.ok, verified.output);
  const verdict = (await ctx.app.inject({ method: 'POST', url: '/v1/verify', headers: { ...auth(ctx.keys.auditor), 'content-type': 'application/xml' }, payload: xml })).json();
  t.equal(verdict.valid, true, JSON.stringify(verdict.checks.filter((c: { passed: boolean }) => !c.passed)));
});
