// The verification corpus: genuine documents of every kind, and one document
// per attack that must fail, each named after its attack, with a manifest
// saying which check must fail and whether xmlsec1 can judge the attack. It
// is built afresh for each run from that run's own CA (no key is committed);
// `npm run corpus -- <dir>` writes one for an auditor, with its CA.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import { HmacSha1 } from 'xml-crypto/lib/signature-algorithms.js';
import { buildNoticeXml } from '../../src/corrections/notice-xml.ts';
import { amountInWords } from '../../src/money/words.ts';
import { buildReceiptXml, type ReceiptDocument } from '../../src/receipts/xml.ts';
import { buildVoucherXml } from '../../src/refunds/voucher.ts';
import { buildDailySummaryXml } from '../../src/reports/daily-summary.ts';
import { issueCertificate, newRsaKeys } from '../../src/signing/dev-certificates.ts';
import { FileSigner } from '../../src/signing/file-signer.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { signDocument } from '../../src/signing/xml-signature.ts';
import type { CheckName } from '../../src/verification/verifier.ts';
import { MAX_DOCUMENT_BYTES } from '../../src/verification/verifier.ts';
import type { TestPki } from './pki.ts';
const center = { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', taxCode: '0100000001', address: '01 Đường Trần Phú, Tỉnh Demo' };
const department = { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011', address: null };
const signingTime = new Date();
const today = new Date(signingTime.getTime() + 7 * 3600e3).toISOString().slice(0, 10);
const series = `${today.slice(2, 4)}TTP`;

export interface FixtureEntry {
  file: string;
  valid: boolean;
  /** The check that must fail, named after the attack (others may fail too: every check runs). */
  failedCheck?: CheckName;
  /** xmlsec1's verdict when it can judge the attack, or why it cannot. */
  xmlsec: { judges: true } | { judges: false; why: string };
  dataElement: string;
}

const receiptDoc = (overrides: Partial<ReceiptDocument> = {}): ReceiptDocument => ({
  dataId: 'BL-fixture-1',
  series,
  number: 1,
  issueDate: today,
  paymentMethod: 'cash',
  lookupCode: 'ABCDEFGHJKLM',
  department,
  center,
  payer: { name: 'Nguyễn Văn An', address: '12 Lê Lợi' },
  items: [
    { line: 1, feeCode: 'STP-LLTP', name: 'Phí cung cấp thông tin lý lịch tư pháp', kind: 'fee', quantity: 1, unitPrice: 200_000, amount: 200_000 },
    { line: 2, feeCode: 'STP-CCHN', name: 'Lệ phí cấp chứng chỉ hành nghề', kind: 'charge', quantity: 1, unitPrice: 100_000, amount: 100_000 },
  ],
  total: 300_000,
  totalInWords: amountInWords(300_000),
  ...overrides,
});

/** A signer of a throwaway key; its certificates are written beside the corpus (never the key). */
async function throwaway(dir: string, name: string, pem: { key: string; chain: string[] }) {
  await writeFile(path.join(dir, `${name}.pem`), pem.chain.join(''));
  return FileSigner.fromPem(pem.key, pem.chain);
}

function rsaKeys() {
  const keys = newRsaKeys();
  return { keyPem: keys.privatePem, forgePrivate: keys.privateKey, forgePublic: keys.publicKey };
}

/** Signs like the service, but with chosen algorithms and references: to build signatures outside the profile. */
function customSign(xml: string, opts: { key: string; cert: string; signatureAlgorithm: string; digest: string; referenceXPath?: string; hmac?: boolean }) {
  const objectId = 'SigningTime-custom';
  const sig = new SignedXml({
    privateKey: opts.key,
    publicCert: opts.cert,
    signatureAlgorithm: opts.signatureAlgorithm,
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
    objects: [{ attributes: { Id: objectId }, content: `<SignatureProperties><SignatureProperty Target="#SIG-custom"><SigningTime xmlns="urn:receipts:signature-properties">${signingTime.toISOString()}</SigningTime></SignatureProperty></SignatureProperties>` }],
  });
  if (opts.hmac) sig.SignatureAlgorithms['http://www.w3.org/2000/09/xmldsig#hmac-sha1'] = HmacSha1;
  if (opts.referenceXPath) {
    sig.addReference({ xpath: opts.referenceXPath, transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: opts.digest });
  }
  sig.addReference({ xpath: `//*[local-name(.)='Object' and @Id='${objectId}']`, transforms: ['http://www.w3.org/2001/10/xml-exc-c14n#'], digestAlgorithm: opts.digest });
  sig.computeSignature(xml, { location: { reference: "/*/*[local-name(.)='DSCKS']", action: 'append' }, attrs: { Id: 'SIG-custom' } });
  return sig.getSignedXml();
}

const signReceipt = (signer: Signer, doc = receiptDoc()) =>
  signDocument(buildReceiptXml(doc), signer, { root: 'BLai', dataId: doc.dataId, signingTime });

/** Writes the corpus into `out` (with `manifest.json` and `certs/`), signed with the PKI's CA and signer. */
export async function buildCorpus(out: string, pki: TestPki): Promise<FixtureEntry[]> {
  const certDir = path.join(out, 'certs');
  await mkdir(certDir, { recursive: true });
  const devKey = await readFile(pki.keyFile, 'utf8');
  const devCert = await readFile(pki.certFile, 'utf8');
  const devSigner = FileSigner.fromPem(devKey, [devCert, pki.caPem]);
  const ca = pki.ca;
  await writeFile(path.join(certDir, 'ca.pem'), pki.caPem);
  const entries: FixtureEntry[] = [];
  const write = async (file: string, content: string | Buffer, entry: Omit<FixtureEntry, 'file'>) => {
    await writeFile(path.join(out, file), content);
    entries.push({ file, ...entry });
  };
  const xmlsecJudges = { judges: true } as const;
  const cannot = (why: string) => ({ judges: false as const, why });

  // Genuine documents of every kind.
  const genuine = await signReceipt(devSigner);
  await write('genuine-receipt.xml', genuine, { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLBLai' });
  await write('genuine-refund-voucher.xml', await signDocument(buildVoucherXml({
    dataId: 'HT-fixture-1', refundId: '7d3c4a52-1b7e-4c1e-9d8e-0a4f6b2c9e11', issueDate: today,
    receipt: { template: 'EBL01', series, number: 1, issueDate: today, lookupCode: 'ABCDEFGHJKLM', total: 300_000 },
    department, center, payerName: 'Nguyễn Văn An', parts: [{ kind: 'charge', amount: 50_000 }, { kind: 'fee', amount: 100_000 }],
    amount: 150_000, amountInWords: amountInWords(150_000), reason: 'Hồ sơ bị trả lại', refundedBefore: 0,
    requestedBy: 'Quầy 1', approvedBy: 'Kế toán',
  }), devSigner, { root: 'CTHTra', dataId: 'HT-fixture-1', signingTime }), { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLCTHTra' });
  await write('genuine-error-notice.xml', await signDocument(buildNoticeXml({
    dataId: 'SS-fixture-1', noticeId: '0b9e2f5a-6c1d-4a3b-8e7f-112233445566', issueDate: today, department, center,
    receipt: { template: 'EBL01', series, number: 1, issueDate: today, lookupCode: 'ABCDEFGHJKLM' },
    field: 'payerName', wrongValue: 'Nguyễn Văn An', correctValue: 'Nguyễn Văn Ân', reason: 'Sai dấu',
  }), devSigner, { root: 'TBSSot', dataId: 'SS-fixture-1', signingTime }), { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLTBSSot' });
  await write('genuine-daily-summary.xml', await signDocument(buildDailySummaryXml({
    dataId: `TH-${today}`, date: today, createdAt: signingTime, center, chainHead: { seq: 42, hash: 'ab'.repeat(32) },
    organizations: [{ code: 'STP', name: department.name, taxCode: department.taxCode, receipts: [
      { template: 'EBL01', series, number: 1, issueDate: today, payerName: 'Nguyễn Văn An', fee: 200_000, charge: 100_000, total: 300_000, status: 'issued' },
    ] }],
  }), devSigner, { root: 'BTHDLieu', dataId: `TH-${today}`, signingTime }), { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLBTHop' });

  const receipt = { dataElement: 'DLBLai' };
  const original = /<DLBLai Id="BL-fixture-1">[\s\S]*<\/DLBLai>/.exec(genuine)![0];
  const forged = original.replace('<TgTien>300000</TgTien>', '<TgTien>3000000</TgTien>');

  // Edits of signed content.
  await write('edited-amount.xml', genuine.replace('<TgTien>300000</TgTien>', '<TgTien>3000000</TgTien>'), { ...receipt, valid: false, failedCheck: 'digest', xmlsec: xmlsecJudges });
  await write('edited-number.xml', genuine.replace('<SBLai>1</SBLai>', '<SBLai>2</SBLai>'), { ...receipt, valid: false, failedCheck: 'digest', xmlsec: xmlsecJudges });
  await write('edited-signature-value.xml', genuine.replace(/<SignatureValue>(.)/, (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`), { ...receipt, valid: false, failedCheck: 'signature-value', xmlsec: xmlsecJudges });

  // Signature wrapping: the signed element stays intact where the reference finds it, forged data takes its place.
  await write('wrapped-signed-element-moved.xml',
    genuine.replace(original, forged.replace(' Id="BL-fixture-1"', '')).replace('</BLai>', `<Goc>${original}</Goc></BLai>`),
    { ...receipt, valid: false, failedCheck: 'reference-coverage', xmlsec: cannot('the reference still resolves to the intact original, so the signature verifies; xmlsec1 does not know which element the document is about') });
  await write('wrapped-duplicated-id.xml',
    genuine.replace(original, forged).replace('</BLai>', `<Goc>${original}</Goc></BLai>`),
    { ...receipt, valid: false, failedCheck: 'reference-coverage', xmlsec: xmlsecJudges });
  await write('wrapped-signed-element-in-object.xml',
    genuine.replace(original, forged.replace(' Id="BL-fixture-1"', '')).replace('</Signature>', `<Object>${original}</Object></Signature>`),
    { ...receipt, valid: false, failedCheck: 'reference-coverage', xmlsec: xmlsecJudges });

  // Comment inside DigestValue: a parser reading only the first text node would
  // compare the forged content's digest, while exc-c14n strips the comment and
  // the signature over SignedInfo still holds.
  const resigned = await signReceipt(devSigner, receiptDoc({ total: 3_000_000 }));
  const forgedDigest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(resigned)![1]!;
  const originalDigest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(genuine)![1]!;
  const forgedBody = /<DLBLai Id="BL-fixture-1">[\s\S]*<\/DLBLai>/.exec(resigned)![0];
  await write('comment-in-digest-value.xml',
    genuine.replace(original, forgedBody).replace(`<DigestValue>${originalDigest}</DigestValue>`, `<DigestValue><!--${forgedDigest}-->${originalDigest}</DigestValue>`),
    { ...receipt, valid: false, failedCheck: 'digest', xmlsec: xmlsecJudges });

  const signatureEl = /<Signature [\s\S]*<\/Signature>/.exec(genuine)![0];
  await write('two-signatures.xml', genuine.replace('</DSCKS>', `${signatureEl.replace('Id="SIG-BL-fixture-1"', 'Id="SIG-2"').replace('Id="SigningTime-BL-fixture-1"', 'Id="SigningTime-2"')}</DSCKS>`),
    { ...receipt, valid: false, failedCheck: 'signature-count', xmlsec: cannot('xmlsec1 verifies the first signature it finds and ignores the second') });

  const unsigned = buildReceiptXml(receiptDoc());
  await write('missing-reference.xml', customSign(unsigned, { key: devKey, cert: devCert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' }),
    { ...receipt, valid: false, failedCheck: 'reference-coverage', xmlsec: cannot('the signature over the signing time alone is cryptographically valid') });
  await write('reference-to-another-element.xml',
    customSign(unsigned.replace('<TTChung>', '<TTChung Id="TT-1">'), { key: devKey, cert: devCert, signatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256', referenceXPath: "//*[@Id='TT-1']" }),
    { ...receipt, valid: false, failedCheck: 'reference-coverage', xmlsec: xmlsecJudges });
  await write('sha1.xml',
    customSign(unsigned, { key: devKey, cert: devCert, signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1', referenceXPath: "//*[@Id='BL-fixture-1']" }),
    { ...receipt, valid: false, failedCheck: 'algorithms', xmlsec: cannot('xmlsec1 accepts RSA-SHA1 by default') });
  await write('hmac.xml',
    customSign(unsigned, { key: 'shared secret', cert: devCert, signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1', digest: 'http://www.w3.org/2001/04/xmlenc#sha256', referenceXPath: "//*[@Id='BL-fixture-1']", hmac: true }),
    { ...receipt, valid: false, failedCheck: 'algorithms', xmlsec: xmlsecJudges });

  // Keys that are not the center's.
  const selfKeys = rsaKeys();
  const selfCert = issueCertificate({ publicKey: selfKeys.forgePublic, selfKey: selfKeys.forgePrivate, commonName: 'Self-signed Impostor', isCa: false });
  const selfSigner = await throwaway(certDir, 'self-signed', { key: selfKeys.keyPem, chain: [forge.pki.certificateToPem(selfCert)] });
  await write('self-signed-certificate.xml', await signReceipt(selfSigner), { ...receipt, valid: false, failedCheck: 'certificate-chain', xmlsec: xmlsecJudges });

  const expiredKeys = rsaKeys();
  const expiredCert = issueCertificate({
    publicKey: expiredKeys.forgePublic, commonName: 'Receipts Expired Signer', ca,
    notBefore: new Date(Date.UTC(2020, 0, 1)), notAfter: new Date(Date.UTC(2021, 0, 1)),
  });
  const expiredSigner = await throwaway(certDir, 'expired', { key: expiredKeys.keyPem, chain: [forge.pki.certificateToPem(expiredCert)] });
  await write('expired-certificate.xml', await signReceipt(expiredSigner), { ...receipt, valid: false, failedCheck: 'certificate-validity', xmlsec: xmlsecJudges });

  const otherCaKeys = rsaKeys();
  const otherCa = issueCertificate({ publicKey: otherCaKeys.forgePublic, selfKey: otherCaKeys.forgePrivate, commonName: 'Another CA', isCa: true });
  const otherKeys = rsaKeys();
  const otherCert = issueCertificate({ publicKey: otherKeys.forgePublic, commonName: 'Signer of Another CA', ca: { cert: otherCa, key: otherCaKeys.forgePrivate } });
  const otherSigner = await throwaway(certDir, 'other-ca-signer', { key: otherKeys.keyPem, chain: [forge.pki.certificateToPem(otherCert), forge.pki.certificateToPem(otherCa)] });
  await write('certificate-from-another-ca.xml', await signReceipt(otherSigner), { ...receipt, valid: false, failedCheck: 'certificate-chain', xmlsec: xmlsecJudges });

  // Parser attacks.
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';
  await write('doctype-external-entity.xml',
    genuine.replace(decl, `${decl}<!DOCTYPE BLai [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>`).replace('<Ten>Nguyễn Văn An</Ten>', '<Ten>&xxe;</Ten>'),
    { ...receipt, valid: false, failedCheck: 'well-formed', xmlsec: xmlsecJudges });
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  await write('entity-expansion-bomb.xml',
    genuine.replace(decl, `${decl}<!DOCTYPE BLai [${lol}]>`).replace('<Ten>Nguyễn Văn An</Ten>', '<Ten>&lol9;</Ten>'),
    { ...receipt, valid: false, failedCheck: 'well-formed', xmlsec: xmlsecJudges });
  await write('deeply-nested.xml', `${decl}<BLai>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</BLai>`,
    { ...receipt, valid: false, failedCheck: 'well-formed', xmlsec: xmlsecJudges });
  await write('oversized.xml', genuine + `<!--${' '.repeat(MAX_DOCUMENT_BYTES)}-->`,
    { ...receipt, valid: false, failedCheck: 'size', xmlsec: cannot('the padding is outside the signed data; xmlsec1 has no size limit') });
  await write('not-xml.xml', '%PDF-1.4\nthis is not an XML document\n', { ...receipt, valid: false, failedCheck: 'well-formed', xmlsec: xmlsecJudges });

  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}
