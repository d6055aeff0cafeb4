import t from 'tap';
import { SIGNER_ROLE, signDocument, signXml } from '../../src/signing/xml-signature.ts';
import { buildReceiptXml, type ReceiptDocument } from '../../src/receipts/xml.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { devFileSigner } from '../helpers/app.ts';
import { xmlsecVerify } from '../helpers/xml-tools.ts';

/**
 * signDocument writes the signature of our own documents directly (no DOM,
 * no XPath, no canonicaliser): the result must be byte for byte what
 * xml-crypto makes of the same document with the same RSA key (RSA PKCS#1
 * v1.5 signatures are deterministic), and verify with xmlsec1.
 */

const signer = await devFileSigner();
const signingTime = new Date('2026-11-27T03:04:05Z');

const receipt = (over: Partial<ReceiptDocument> = {}): ReceiptDocument => ({
  dataId: 'BL-2f1c8b7e-1d2a-4b3c-9e8f-0a1b2c3d4e5f',
  series: '26TTP',
  number: 42,
  issueDate: '2026-11-27',
  paymentMethod: 'cash',
  lookupCode: 'ABCDEFGHJKLM',
  department: { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011' } as ReceiptDocument['department'],
  center: { name: 'Trung tâm Phục vụ hành chính công', taxCode: '0100000001', address: '01 Trần Phú' } as ReceiptDocument['center'],
  payer: { name: 'Nguyễn Văn An' },
  items: [{ line: 1, feeCode: 'STP-LLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', kind: 'fee', quantity: 1, unitPrice: 200_000, amount: 200_000 }],
  total: 200_000,
  totalInWords: 'Hai trăm nghìn đồng',
  ...over,
});

const viaXmlCrypto = (xml: string, s: Signer, dataId: string, root = 'BLai') =>
  signXml(xml, s, { dataId, signatureParent: `/*[local-name(.)='${root}']/*[local-name(.)='DSCKS']/*[local-name(.)='${SIGNER_ROLE}']`, signingTime });

const cases: Array<[string, ReceiptDocument]> = [
  ['a plain receipt', receipt()],
  [
    'markup characters, quotes, ]]> and Vietnamese in every free-text field',
    receipt({
      payer: { name: `O'Brien "Tom" <b>&amp; Lê Thị Ánh`, address: 'Số 5 ]]> ngõ 3 & 4 <Hà Nội>', taxCode: '0101234567', idNumber: '001090012345' },
      dossierCode: 'H01-<&>-"x"',
      items: [
        { line: 1, feeCode: null, name: 'Phí "đặc biệt" <A&B>', kind: 'fee', quantity: 1, unitPrice: 5, amount: 5 },
        { line: 2, feeCode: 'X&Y', name: "Lệ phí 'ba'", kind: 'charge', quantity: 3, unitPrice: 10, amount: 30 },
      ],
      total: 35,
      totalInWords: 'Ba mươi lăm đồng',
    }),
  ],
  ['text that looks like references (&quot; &nbsp; &#1;)', receipt({ payer: { name: 'Lê &quot;Tèo&quot; &nbsp; &#1; &amp;' }, totalInWords: 'A &apos;B&apos;' })],
  ['a replacement with a multi-line reason', receipt({ replaces: { template: 'EBL01', series: '26TTP', number: 7, issueDate: '2026-11-20', reason: 'Sai tên người nộp\nđổi "A" thành <B> & C' } })],
];

for (const [name, doc] of cases) {
  t.test(`${name}: the direct signature is byte for byte xml-crypto's, and xmlsec1 verifies it`, async (t) => {
    const unsigned = buildReceiptXml(doc);
    const direct = await signDocument(unsigned, signer, { root: 'BLai', dataId: doc.dataId, signingTime });
    const reference = await viaXmlCrypto(unsigned, signer, doc.dataId);
    t.equal(direct, reference);
    const verified = await xmlsecVerify(direct);
    t.ok(verified.ok, verified.output);
  });
}

t.test('a document outside the direct form (a namespace, an attribute) is signed through xml-crypto, and verifies', async (t) => {
  const withNamespace = buildReceiptXml(receipt()).replace('<TTChung>', '<TTChung xmlns:x="urn:x">');
  const signed = await signDocument(withNamespace, signer, { root: 'BLai', dataId: receipt().dataId, signingTime });
  t.equal(signed, await viaXmlCrypto(withNamespace, signer, receipt().dataId));
  t.match(signed, /<TTChung xmlns:x="urn:x">/);
  t.ok((await xmlsecVerify(signed)).ok);
});

t.test('what the direct signature covers: a changed character of the data fails xmlsec1', async (t) => {
  const doc = receipt();
  const signed = await signDocument(buildReceiptXml(doc), signer, { root: 'BLai', dataId: doc.dataId, signingTime });
  const tampered = signed.replace('<SBLai>42</SBLai>', '<SBLai>43</SBLai>');
  t.not(tampered, signed);
  t.equal((await xmlsecVerify(tampered)).ok, false);
});
