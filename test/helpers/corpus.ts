// The verification corpus: genuine documents of every kind, and one document
// per attack that must fail, each named after its attack, with a manifest
// saying which check must fail and whether xmlsec1 can judge the attack. It
// is built afresh for each run from that run's own CA (no key is committed);
// `npm run corpus -- <dir>` writes one for an auditor, with its CA.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { execFile } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';
import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { HmacSha1 } from 'xml-crypto/lib/signature-algorithms.js';
import { buildNoticeXml } from '../../src/corrections/notice-xml.ts';
import { amountInWords } from '../../src/money/words.ts';
import { buildReceiptXml, type ReceiptDocument } from '../../src/receipts/xml.ts';
import { buildVoucherXml } from '../../src/refunds/voucher.ts';
import { buildDailySummaryXml } from '../../src/tax/daily-summary.ts';
import { issueCertificate, newRsaKeys, pinSigner } from '../../src/signing/dev-certificates.ts';
import { FileSigner } from '../../src/signing/file-signer.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { x509SubjectName } from '../../src/certificates/pem.ts';
import { signDocument } from '../../src/signing/xml-signature.ts';
import { vietnamLocalTime } from '../../src/time/vietnam.ts';
import type { CheckName } from '../../src/verification/verifier.ts';
import { MAX_DOCUMENT_BYTES, MAX_ELEMENTS } from '../../src/verification/verifier.ts';
import { issueCrl } from './crl.ts';
import type { TestPki } from './pki.ts';
const center = { name: 'Trung tâm Phục vụ hành chính công tỉnh Demo', taxCode: '0100000001', address: '01 Đường Trần Phú, Tỉnh Demo', taxOffice: { code: '101', name: 'Thuế tỉnh Demo' } };
const department = { code: 'STP', name: 'Sở Tư pháp tỉnh Demo', taxCode: '0100000011', address: null };
const signingTime = new Date();
const today = new Date(signingTime.getTime() + 7 * 3600e3).toISOString().slice(0, 10);
const series = `${today.slice(2, 4)}TTP`;

export interface FixtureEntry {
  file: string;
  valid: boolean;
  /** The first check that must fail, named after the attack: with that check removed or relaxed, the test goes red. */
  failedCheck?: CheckName;
  /** A pattern the failed check's reason must match (the source of a RegExp). */
  reason?: string;
  /** Earlier checks that catch the attack too (defence in depth); failedCheck is then the first after them. */
  alsoFails?: CheckName[];
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

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const EXC = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const INCLUSIVE = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const ENVELOPED_URI = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const RSA_SHA256_URI = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const RSA_SHA1_URI = 'http://www.w3.org/2000/09/xmldsig#rsa-sha1';
const SHA256_URI = 'http://www.w3.org/2001/04/xmlenc#sha256';
const SHA1_URI = 'http://www.w3.org/2000/09/xmldsig#sha1';

/** Signs like the service, but with chosen algorithms, transforms, references and KeyInfo: signatures outside the profile. */
function customSign(
  xml: string,
  opts: {
    key: string;
    cert: string;
    signatureAlgorithm: string;
    digest: string;
    c14n?: string;
    dataTransforms?: string[];
    referenceXPath?: string;
    hmac?: boolean;
    keyInfo?: string;
    at?: Date;
    localTime?: string;
    location?: string;
  },
) {
  const objectId = 'SigningTime-custom';
  const sig = new SignedXml({
    privateKey: opts.key,
    publicCert: opts.cert,
    signatureAlgorithm: opts.signatureAlgorithm,
    canonicalizationAlgorithm: opts.c14n ?? EXC,
    objects: [
      {
        attributes: { Id: objectId },
        content: `<SignatureProperties><SignatureProperty Target="#SIG-custom"><SigningTime xmlns="urn:receipts:signature-properties">${opts.localTime ?? vietnamLocalTime(opts.at ?? signingTime)}</SigningTime></SignatureProperty></SignatureProperties>`,
      },
    ],
    ...(opts.keyInfo ? { getKeyInfoContent: () => opts.keyInfo! } : {}),
  });
  if (opts.hmac) sig.SignatureAlgorithms['http://www.w3.org/2000/09/xmldsig#hmac-sha1'] = HmacSha1;
  if (opts.referenceXPath) {
    sig.addReference({ xpath: opts.referenceXPath, transforms: opts.dataTransforms ?? [ENVELOPED_URI, EXC], digestAlgorithm: opts.digest });
  }
  sig.addReference({ xpath: `//*[local-name(.)='Object' and @Id='${objectId}']`, transforms: [EXC], digestAlgorithm: opts.digest });
  sig.computeSignature(xml, { location: { reference: opts.location ?? "/*/*[local-name(.)='DSCKS']/*[local-name(.)='NNT']", action: 'append' }, attrs: { Id: 'SIG-custom' } });
  return sig.getSignedXml();
}

/** The signer's certificate chain as X509Certificate elements' content (base64 DER). */
const certBody = (pem: string) => pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');

/**
 * The attack the structure check exists for: SignedInfo's own SignatureMethod
 * says RSA-SHA256, but a SignatureMethod saying RSA-SHA1 is nested earlier (in
 * CanonicalizationMethod), where a library looking for the first descendant
 * finds it; the signature value is RSA-SHA1 over that SignedInfo.
 */
function nestedSignatureMethod(genuine: string, keyPem: string): string {
  const modified = genuine.replace(
    `<CanonicalizationMethod Algorithm="${EXC}"/>`,
    `<CanonicalizationMethod Algorithm="${EXC}"><SignatureMethod Algorithm="${RSA_SHA1_URI}"/></CanonicalizationMethod>`,
  );
  const doc = new DOMParser().parseFromString(modified, 'text/xml');
  const signature = doc.getElementsByTagNameNS(DSIG_NS, 'Signature')[0]!;
  const loader = new SignedXml();
  loader.loadSignature(signature as unknown as Node);
  const canonical = (loader as unknown as { getCanonSignedInfoXml(d: unknown): string }).getCanonSignedInfoXml(doc);
  const value = cryptoSign('sha1', Buffer.from(canonical), keyPem).toString('base64');
  return modified.replace(/<SignatureValue>[^<]*<\/SignatureValue>/, `<SignatureValue>${value}</SignatureValue>`);
}

/** An EC P-256 key and a certificate for it from the PKI's CA: [key PEM, [certificate, CA]]. */
async function ecCertificate(dir: string, pki: TestPki): Promise<[string, string[]]> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const work = await mkdtemp(path.join(tmpdir(), 'receipts-ec-'));
  try {
    await writeFile(path.join(work, 'key.pem'), keyPem, { mode: 0o600 });
    await writeFile(path.join(work, 'ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
    const run = promisify(execFile);
    await run('openssl', [
      'req',
      '-new',
      '-key',
      path.join(work, 'key.pem'),
      '-subj',
      `/C=VN/O=DEVELOPMENT ONLY - NOT FOR PRODUCTION/CN=Receipts EC Signer/UID=MST:${center.taxCode}`,
      '-out',
      path.join(work, 'req.csr'),
    ]);
    await run('openssl', [
      'x509',
      '-req',
      '-in',
      path.join(work, 'req.csr'),
      '-CA',
      pki.caFile,
      '-CAkey',
      path.join(path.dirname(pki.caFile), 'ca.key.pem'),
      '-CAcreateserial',
      '-days',
      '365',
      '-sha256',
      '-extfile',
      path.join(work, 'ext.cnf'),
      '-out',
      path.join(work, 'cert.pem'),
    ]);
    const cert = await readFile(path.join(work, 'cert.pem'), 'utf8');
    await writeFile(path.join(dir, 'ec-signer.pem'), cert);
    return [keyPem, [cert, pki.caPem]];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

const signReceipt = (signer: Signer, doc = receiptDoc()) => signDocument(buildReceiptXml(doc), signer, { root: 'BLai', dataId: doc.dataId, signingTime });

/**
 * Writes the corpus into `out`, signed with the PKI's CA and signer:
 * `manifest.json`, `trust/` (the CA, its CRL and the pinned center signer:
 * what a verifier should trust) and `certs/` (the other signers'
 * certificates, never to be trusted).
 */
export async function buildCorpus(out: string, pki: TestPki): Promise<FixtureEntry[]> {
  const certDir = path.join(out, 'certs');
  const trustDir = path.join(out, 'trust');
  await mkdir(certDir, { recursive: true });
  await mkdir(trustDir, { recursive: true });
  const devKey = await readFile(pki.keyFile, 'utf8');
  const devCert = await readFile(pki.certFile, 'utf8');
  const devSigner = FileSigner.fromPem(devKey, [devCert, pki.caPem]);
  const ca = pki.ca;
  await writeFile(path.join(trustDir, 'ca.pem'), pki.caPem);
  // The center's own signer is pinned; the other signers from the CA meant to sign for the center name its tax code.
  await pinSigner(trustDir, devCert);
  const entries: FixtureEntry[] = [];
  const write = async (file: string, content: string | Buffer, entry: Omit<FixtureEntry, 'file'>) => {
    await writeFile(path.join(out, file), content);
    entries.push({ file, ...entry });
  };
  const xmlsecJudges = { judges: true } as const;
  const cannot = (why: string) => ({ judges: false as const, why });
  const signAt = (at: Date, signer: Signer, doc = receiptDoc()) => signDocument(buildReceiptXml(doc), signer, { root: 'BLai', dataId: doc.dataId, signingTime: at });

  // Genuine documents of every kind.
  const genuine = await signReceipt(devSigner);
  await write('genuine-receipt.xml', genuine, { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLBLai' });
  await write(
    'genuine-refund-voucher.xml',
    await signDocument(
      buildVoucherXml({
        dataId: 'HT-fixture-1',
        refundId: '7d3c4a52-1b7e-4c1e-9d8e-0a4f6b2c9e11',
        issueDate: today,
        receipt: { template: 'EBL01', series, number: 1, issueDate: today, lookupCode: 'ABCDEFGHJKLM', total: 300_000 },
        department,
        center,
        payerName: 'Nguyễn Văn An',
        parts: [
          { kind: 'charge', amount: 50_000 },
          { kind: 'fee', amount: 100_000 },
        ],
        amount: 150_000,
        amountInWords: amountInWords(150_000),
        reason: 'Hồ sơ bị trả lại',
        refundedBefore: 0,
        requestedBy: 'Quầy 1',
        approvedBy: 'Kế toán',
      }),
      devSigner,
      { root: 'CTHTra', dataId: 'HT-fixture-1', signingTime },
    ),
    { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLCTHTra' },
  );
  await write(
    'genuine-error-notice.xml',
    await signDocument(
      buildNoticeXml({
        dataId: 'SS-fixture-1',
        noticeId: '0b9e2f5a-6c1d-4a3b-8e7f-112233445566',
        issueDate: today,
        department,
        center,
        receipt: { template: 'EBL01', series, number: 1, issueDate: today, lookupCode: 'ABCDEFGHJKLM' },
        field: 'payerName',
        wrongValue: 'Nguyễn Văn An',
        correctValue: 'Nguyễn Văn Ân',
        reason: 'Sai dấu',
      }),
      devSigner,
      { root: 'TBao', dataId: 'SS-fixture-1', signingTime },
    ),
    { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLTBao' },
  );
  const summaryRow = (number: number) => ({
    receiptId: `00000000-0000-4000-8000-00000000000${number}`,
    template: 'EBL01',
    series,
    number,
    issueDate: today,
    payerName: 'Nguyễn Văn An',
    names: 'Phí cung cấp thông tin lý lịch tư pháp; Lệ phí cấp chứng chỉ hành nghề',
    fee: 200_000,
    charge: 100_000,
    total: 300_000,
    status: 'issued' as const,
    notices: 0,
    replaces: null,
    replacedBy: null,
  });
  await write(
    'genuine-daily-summary.xml',
    await signDocument(
      buildDailySummaryXml(
        {
          dataId: `TH-${today}-STP`,
          date: today,
          createdAt: signingTime,
          center,
          chainHead: { seq: 42, hash: 'ab'.repeat(32) },
          organization: { name: department.name, taxCode: department.taxCode },
          supplement: 0,
          sequence: 1,
        },
        [summaryRow(1)],
      ),
      devSigner,
      { root: 'BTHDLieu', dataId: `TH-${today}-STP`, signingTime },
    ),
    { valid: true, xmlsec: xmlsecJudges, dataElement: 'DLBTHop' },
  );

  // Text full of what the size check counts in markup ("=", quotes, ">") is only text.
  await write('genuine-receipt-markup-in-text.xml', await signReceipt(devSigner, receiptDoc({ payer: { name: 'A="B"> '.repeat(14).trim(), address: `${'='.repeat(100)} <a b="c">` } })), {
    valid: true,
    xmlsec: xmlsecJudges,
    dataElement: 'DLBLai',
  });

  // ECDSA-SHA256 with a P-256 key, its certificate issued by the same CA (openssl: node-forge makes only RSA certificates).
  const ecSigner = FileSigner.fromPem(...(await ecCertificate(certDir, pki)));
  // Signed now: the certificate openssl just made is valid from this second, after the corpus's common signing time.
  const ecReceipt = receiptDoc();
  await write('genuine-receipt-ecdsa.xml', await signDocument(buildReceiptXml(ecReceipt), ecSigner, { root: 'BLai', dataId: ecReceipt.dataId, signingTime: new Date() }), {
    valid: true,
    xmlsec: xmlsecJudges,
    dataElement: 'DLBLai',
  });

  const receipt = { dataElement: 'DLBLai' };
  const original = /<DLBLai Id="BL-fixture-1">[\s\S]*<\/DLBLai>/.exec(genuine)![0];
  const forged = original.replace('<TgTien>300000</TgTien>', '<TgTien>3000000</TgTien>');
  const decl = '<?xml version="1.0" encoding="UTF-8"?>';

  // size: bytes, and elements (parsing cost grows with elements, not bytes).
  await write('oversized.xml', `${genuine}<!--${' '.repeat(MAX_DOCUMENT_BYTES)}-->`, {
    ...receipt,
    valid: false,
    failedCheck: 'size',
    reason: 'bytes is over the limit',
    xmlsec: cannot('the padding is outside the signed data; xmlsec1 has no size limit'),
  });
  await write('too-many-attributes.xml', genuine.replace('</BLai>', `<PhuLuc ${Array.from({ length: 20_000 }, (_, i) => `a${i}=">"`).join(' ')}/></BLai>`), {
    ...receipt,
    valid: false,
    failedCheck: 'size',
    reason: 'an element with 20000 attributes is over the limit of 64',
    xmlsec: cannot('the attributes are outside the signed data; xmlsec1 has no attribute limit'),
  });
  await write('too-many-elements.xml', genuine.replace('</BLai>', `<PhuLuc>${'<a/>'.repeat(MAX_ELEMENTS)}</PhuLuc></BLai>`), {
    ...receipt,
    valid: false,
    failedCheck: 'size',
    reason: 'elements is over the limit',
    xmlsec: cannot('the extra elements are outside the signed data; xmlsec1 has no element limit'),
  });

  // well-formed: parser attacks and bytes that are not UTF-8.
  await write('doctype-external-entity.xml', genuine.replace(decl, `${decl}<!DOCTYPE BLai [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>`).replace('<Ten>Nguyễn Văn An</Ten>', '<Ten>&xxe;</Ten>'), {
    ...receipt,
    valid: false,
    failedCheck: 'well-formed',
    reason: 'DOCTYPE and entity declarations are refused',
    xmlsec: xmlsecJudges,
  });
  const lol = ['<!ENTITY lol0 "lol">', ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`)].join('');
  await write('entity-expansion-bomb.xml', genuine.replace(decl, `${decl}<!DOCTYPE BLai [${lol}]>`).replace('<Ten>Nguyễn Văn An</Ten>', '<Ten>&lol9;</Ten>'), {
    ...receipt,
    valid: false,
    failedCheck: 'well-formed',
    reason: 'DOCTYPE and entity declarations are refused',
    xmlsec: xmlsecJudges,
  });
  await write('deeply-nested.xml', genuine.replace('</BLai>', `<PhuLuc>${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}</PhuLuc></BLai>`), {
    ...receipt,
    valid: false,
    failedCheck: 'well-formed',
    reason: 'nest deeper than',
    xmlsec: cannot('the nesting is outside the signed data; xmlsec1 has no depth limit'),
  });
  await write('not-xml.xml', '%PDF-1.4\nthis is not an XML document\n', { ...receipt, valid: false, failedCheck: 'well-formed', reason: '^not well-formed XML', xmlsec: xmlsecJudges });
  const latin1 = Buffer.from(genuine, 'utf8');
  const at = latin1.indexOf(Buffer.from('Lê Lợi'));
  await write('not-utf8.xml', Buffer.concat([latin1.subarray(0, at), Buffer.from([0x4c, 0xea]), latin1.subarray(at + Buffer.byteLength('Lê'))]), {
    ...receipt,
    valid: false,
    failedCheck: 'well-formed',
    reason: 'not UTF-8',
    xmlsec: xmlsecJudges,
  });

  // document-type: a signed receipt under a root the service does not issue.
  await write('unknown-root.xml', genuine.replace('<BLai>', '<HDon>').replace('</BLai>', '</HDon>'), {
    ...receipt,
    valid: false,
    failedCheck: 'document-type',
    reason: 'root element <HDon> is none of',
    xmlsec: cannot('the root is outside the signed data; xmlsec1 does not know document types'),
  });

  // schema: validly signed, but not a receipt the schema allows (F is not a series letter).
  await write('schema-violation.xml', await signReceipt(devSigner, receiptDoc({ series: `${today.slice(2, 4)}TFP` })), {
    ...receipt,
    valid: false,
    failedCheck: 'schema',
    reason: 'element <KHBLai> on line \\d+ holds a value the schema does not allow',
    xmlsec: cannot('xmlsec1 does not validate against schemas'),
  });

  // signature-count.
  const signatureEl = /<Signature [\s\S]*<\/Signature>/.exec(genuine)![0];
  await write(
    'two-signatures.xml',
    genuine.replace('</NNT></DSCKS>', `${signatureEl.replace('Id="SIG-BL-fixture-1"', 'Id="SIG-2"').replace('Id="SigningTime-BL-fixture-1"', 'Id="SigningTime-2"')}</NNT></DSCKS>`),
    { ...receipt, valid: false, alsoFails: ['schema'], failedCheck: 'signature-count', reason: 'found 2', xmlsec: cannot('xmlsec1 verifies the first signature it finds and ignores the second') },
  );
  // The same, with the schema satisfied: only the signature count stands in the way.
  await write(
    'second-signature-in-object.xml',
    genuine.replace(
      '</SignatureProperties></Object>',
      `</SignatureProperties>${signatureEl.replace('Id="SIG-BL-fixture-1"', 'Id="SIG-2"').replace('Id="SigningTime-BL-fixture-1"', 'Id="SigningTime-2"')}</Object>`,
    ),
    { ...receipt, valid: false, failedCheck: 'signature-count', reason: 'found 2', xmlsec: cannot('xmlsec1 verifies the first signature it finds and ignores the second') },
  );
  await write('no-signature-in-dscks.xml', buildReceiptXml(receiptDoc()).replace('<DSCKS><NNT/></DSCKS>', `<DSCKS><NNT><KeyInfo xmlns="${DSIG_NS}"/></NNT></DSCKS>`), {
    ...receipt,
    valid: false,
    failedCheck: 'signature-count',
    reason: 'found 0',
    xmlsec: xmlsecJudges,
  });
  await write('unsigned.xml', buildReceiptXml(receiptDoc()), { ...receipt, valid: false, alsoFails: ['schema'], failedCheck: 'signature-count', reason: 'found 0', xmlsec: xmlsecJudges });

  // signature-structure: the shapes a library reading "the first X anywhere" could be fooled by.
  await write('nested-signature-method.xml', nestedSignatureMethod(genuine, devKey), {
    ...receipt,
    valid: false,
    failedCheck: 'signature-structure',
    reason: 'CanonicalizationMethod holds <SignatureMethod>',
    xmlsec: xmlsecJudges,
  });
  const originalDigest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(genuine)![1]!;
  const resigned = await signReceipt(devSigner, receiptDoc({ total: 3_000_000 }));
  const forgedDigest = /<DigestValue>([^<]+)<\/DigestValue>/.exec(resigned)![1]!;
  const forgedBody = /<DLBLai Id="BL-fixture-1">[\s\S]*<\/DLBLai>/.exec(resigned)![0];
  // A parser reading only the first text node would compare the forged content's digest.
  await write(
    'comment-in-digest-value.xml',
    genuine.replace(original, forgedBody).replace(`<DigestValue>${originalDigest}</DigestValue>`, `<DigestValue><!--${forgedDigest}-->${originalDigest}</DigestValue>`),
    { ...receipt, valid: false, failedCheck: 'signature-structure', reason: 'DigestValue holds a comment', xmlsec: xmlsecJudges },
  );
  await write('wrapped-signed-element-in-object.xml', genuine.replace(original, forged.replace(' Id="BL-fixture-1"', '')).replace('</Signature>', `<Object>${original}</Object></Signature>`), {
    ...receipt,
    valid: false,
    alsoFails: ['schema'],
    failedCheck: 'signature-structure',
    reason: 'Signature holds <Object>, which the profile does not have there',
    xmlsec: xmlsecJudges,
  });
  // A bare attacker key in KeyInfo: no certificate, nothing chaining to the CA.
  const attacker = rsaKeys();
  const jwk = createPrivateKey(attacker.keyPem).export({ format: 'jwk' });
  const b64 = (s: string | undefined) => Buffer.from(s!, 'base64url').toString('base64');
  const unsigned = buildReceiptXml(receiptDoc());
  await write(
    'bare-key-in-keyinfo.xml',
    customSign(unsigned, {
      key: attacker.keyPem,
      cert: '',
      signatureAlgorithm: RSA_SHA256_URI,
      digest: SHA256_URI,
      referenceXPath: "//*[@Id='BL-fixture-1']",
      keyInfo: `<KeyValue><RSAKeyValue><Modulus>${b64(jwk.n)}</Modulus><Exponent>${b64(jwk.e)}</Exponent></RSAKeyValue></KeyValue>`,
    }),
    { ...receipt, valid: false, failedCheck: 'signature-structure', reason: 'KeyInfo holds <KeyValue>', xmlsec: xmlsecJudges },
  );

  // The signature straight in DSCKS, outside the signer's role element (NNT) the tax authority's documents use.
  await write('signature-outside-signer-role.xml', genuine.replace('<DSCKS><NNT>', '<DSCKS>').replace('</NNT></DSCKS>', '</DSCKS>'), {
    ...receipt,
    valid: false,
    alsoFails: ['schema'],
    failedCheck: 'signature-structure',
    reason: 'not in the root.s <DSCKS>/<NNT>',
    xmlsec: cannot('xmlsec1 verifies a signature wherever it is'),
  });
  await write('signature-in-another-role.xml', genuine.replace('<DSCKS><NNT>', '<DSCKS><NBan>').replace('</NNT></DSCKS>', '</NBan></DSCKS>'), {
    ...receipt,
    valid: false,
    alsoFails: ['schema'],
    failedCheck: 'signature-structure',
    reason: 'not in the root.s <DSCKS>/<NNT>',
    xmlsec: cannot('xmlsec1 verifies a signature wherever it is'),
  });

  // algorithms: each part of the profile relaxed on its own, signed correctly otherwise.
  const devCustom = {
    key: devKey,
    cert: devCert,
    referenceXPath: "//*[@Id='BL-fixture-1']",
    keyInfo: `<X509Data><X509SubjectName>${x509SubjectName(devCert)}</X509SubjectName><X509Certificate>${certBody(devCert)}</X509Certificate><X509Certificate>${certBody(pki.caPem)}</X509Certificate></X509Data>`,
  };
  await write('sha1.xml', customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA1_URI, digest: SHA1_URI }), {
    ...receipt,
    valid: false,
    failedCheck: 'algorithms',
    reason: 'signature method .*rsa-sha1',
    xmlsec: cannot('xmlsec1 accepts RSA-SHA1 by default'),
  });
  await write('digest-sha1.xml', customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA1_URI }), {
    ...receipt,
    valid: false,
    failedCheck: 'algorithms',
    reason: 'digest .*sha1 \\(SHA-256 required\\)',
    xmlsec: cannot('xmlsec1 accepts SHA-1 digests by default'),
  });
  await write('canonicalization-inclusive.xml', customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA256_URI, c14n: INCLUSIVE }), {
    ...receipt,
    valid: false,
    failedCheck: 'algorithms',
    reason: 'canonicalization .*REC-xml-c14n-20010315 \\(exclusive C14N required\\)',
    xmlsec: cannot('xmlsec1 accepts inclusive C14N'),
  });
  await write('transform-inclusive-c14n.xml', customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA256_URI, dataTransforms: [ENVELOPED_URI, INCLUSIVE] }), {
    ...receipt,
    valid: false,
    failedCheck: 'algorithms',
    reason: 'transforms .* on reference 1',
    xmlsec: cannot('xmlsec1 accepts an inclusive C14N transform'),
  });
  await write(
    'hmac.xml',
    customSign(unsigned, {
      key: 'shared secret',
      cert: devCert,
      signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#hmac-sha1',
      digest: SHA256_URI,
      referenceXPath: "//*[@Id='BL-fixture-1']",
      hmac: true,
      keyInfo: devCustom.keyInfo,
    }),
    { ...receipt, valid: false, failedCheck: 'algorithms', reason: 'signature method .*hmac-sha1', xmlsec: xmlsecJudges },
  );

  // reference-coverage: signature wrapping, the signed element kept where the reference finds it.
  await write('wrapped-signed-element-moved.xml', genuine.replace(original, forged.replace(' Id="BL-fixture-1"', '')).replace('</BLai>', `<Goc>${original}</Goc></BLai>`), {
    ...receipt,
    valid: false,
    alsoFails: ['schema'],
    failedCheck: 'reference-coverage',
    reason: 'has no Id',
    xmlsec: cannot('the reference still resolves to the intact original, so the signature verifies; xmlsec1 does not know which element the document is about'),
  });
  // The signed original moved into the document, a forged copy under the same Id in its place; then the same with
  // the original's Id spelled ID: the verifier's xml-crypto resolves references by "Id" alone, so the uniqueness of
  // an Id across Id, ID and id is the verifier's own check.
  const duplicatedId = { ...receipt, valid: false, alsoFails: ['schema' as const], failedCheck: 'reference-coverage' as const, reason: 'is not unique', xmlsec: xmlsecJudges };
  for (const [file, moved] of [
    ['wrapped-duplicated-id.xml', original],
    ['wrapped-duplicated-id-other-case.xml', original.replace(' Id="BL-fixture-1"', ' ID="BL-fixture-1"')],
  ] as const) {
    await write(file, genuine.replace(original, forged).replace('</BLai>', `<Goc>${moved}</Goc></BLai>`), duplicatedId);
  }
  // Schema-valid: both references cover the signing time, none the data, whose amount is then forged.
  const objectXPath = "//*[local-name(.)='Object' and @Id='SigningTime-custom']";
  await write(
    'data-not-covered.xml',
    customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA256_URI, referenceXPath: objectXPath }).replace('<TgTien>300000</TgTien>', '<TgTien>3000000</TgTien>'),
    {
      ...receipt,
      valid: false,
      failedCheck: 'reference-coverage',
      reason: 'the first reference is "#SigningTime-custom", not the document',
      xmlsec: cannot('the signature over the signing time is cryptographically valid; xmlsec1 does not know what it should cover'),
    },
  );
  await write(
    'reference-to-another-element.xml',
    customSign(unsigned.replace('<TTChung>', '<TTChung Id="TT-1">'), { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA256_URI, referenceXPath: "//*[@Id='TT-1']" }),
    {
      ...receipt,
      valid: false,
      alsoFails: ['schema'],
      failedCheck: 'reference-coverage',
      reason: 'the first reference is "#TT-1"',
      xmlsec: cannot('the signature over TTChung is cryptographically valid'),
    },
  );

  // digest and signature value: edits of signed content.
  await write('edited-amount.xml', genuine.replace('<TgTien>300000</TgTien>', '<TgTien>3000000</TgTien>'), {
    ...receipt,
    valid: false,
    failedCheck: 'digest',
    reason: 'digest does not match',
    xmlsec: xmlsecJudges,
  });
  await write('edited-number.xml', genuine.replace('<SBLai>1</SBLai>', '<SBLai>2</SBLai>'), { ...receipt, valid: false, failedCheck: 'digest', reason: 'digest does not match', xmlsec: xmlsecJudges });
  await write(
    'edited-signature-value.xml',
    genuine.replace(/<SignatureValue>(.)/, (_m, c: string) => `<SignatureValue>${c === 'A' ? 'B' : 'A'}`),
    { ...receipt, valid: false, failedCheck: 'signature-value', reason: 'does not verify with the signer', xmlsec: xmlsecJudges },
  );

  // certificate-chain: keys that are not the center's, and a revoked one.
  const selfKeys = rsaKeys();
  const selfCert = issueCertificate({ publicKey: selfKeys.forgePublic, selfKey: selfKeys.forgePrivate, commonName: 'Self-signed Impostor', isCa: false });
  const selfSigner = await throwaway(certDir, 'self-signed', { key: selfKeys.keyPem, chain: [forge.pki.certificateToPem(selfCert)] });
  await write('self-signed-certificate.xml', await signReceipt(selfSigner), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-chain',
    reason: 'self-signed certificate .*Self-signed Impostor.* is not a trusted CA',
    xmlsec: xmlsecJudges,
  });
  const otherCaKeys = rsaKeys();
  const otherCa = issueCertificate({ publicKey: otherCaKeys.forgePublic, selfKey: otherCaKeys.forgePrivate, commonName: 'Another CA', isCa: true });
  const otherKeys = rsaKeys();
  const otherCert = issueCertificate({ publicKey: otherKeys.forgePublic, commonName: 'Signer of Another CA', ca: { cert: otherCa, key: otherCaKeys.forgePrivate } });
  const otherSigner = await throwaway(certDir, 'other-ca-signer', { key: otherKeys.keyPem, chain: [forge.pki.certificateToPem(otherCert), forge.pki.certificateToPem(otherCa)] });
  await write('certificate-from-another-ca.xml', await signReceipt(otherSigner), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-chain',
    reason: 'no chain from .*Another CA',
    xmlsec: xmlsecJudges,
  });
  // Revoked by the CA's CRL (certs/ca.crl): an hour before signing, and a day after signing.
  const longAgo = new Date(signingTime.getTime() - 30 * 86_400_000);
  const revocable = async (name: string) => {
    const keys = rsaKeys();
    const cert = issueCertificate({ publicKey: keys.forgePublic, commonName: `Receipts Revoked Signer (${name})`, ca, notBefore: longAgo, taxCode: center.taxCode });
    return { cert, signer: await throwaway(certDir, name, { key: keys.keyPem, chain: [forge.pki.certificateToPem(cert), pki.caPem] }) };
  };
  const revoked = await revocable('revoked-signer');
  const revokedLater = await revocable('revoked-later-signer');
  // Within the CA's validity (it starts a day before it was made).
  const earlier = new Date(signingTime.getTime() - 20 * 3_600_000);
  await writeFile(
    path.join(trustDir, 'ca.crl'),
    await issueCrl({
      caCertPem: pki.caPem,
      caKeyPem: forge.pki.privateKeyToPem(ca.key),
      revoked: [
        { serialNumber: revoked.cert.serialNumber, at: new Date(signingTime.getTime() - 3_600_000), reason: 'keyCompromise' },
        { serialNumber: revokedLater.cert.serialNumber, at: new Date(signingTime.getTime() - 10 * 3_600_000), reason: 'superseded' },
      ],
    }),
  );
  await write('revoked-certificate.xml', await signReceipt(revoked.signer), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-chain',
    reason: 'was revoked on .*\\(keyCompromise\\), before the signing time',
    xmlsec: cannot('xmlsec1 is given no CRL'),
  });
  await write('revoked-after-signing.xml', await signAt(earlier, revokedLater.signer), { ...receipt, valid: true, xmlsec: xmlsecJudges });

  // certificate-chain: a subscriber of the same CA is not the center. Its certificate chains to the
  // trusted CA, is valid and may sign; it names another tax code, or none and is not pinned.
  const subscriber = async (name: string, opts: { taxCode?: string }) => {
    const keys = rsaKeys();
    const cert = issueCertificate({ publicKey: keys.forgePublic, commonName: `Another Subscriber (${name})`, ca, ...opts });
    return throwaway(certDir, name, { key: keys.keyPem, chain: [forge.pki.certificateToPem(cert), pki.caPem] });
  };
  await write('another-subscriber-of-the-ca.xml', await signReceipt(await subscriber('other-subscriber', { taxCode: '0109999999' })), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-chain',
    reason: 'is MST:0109999999, not the document.s issuer MST:0100000001',
    xmlsec: cannot('the certificate chains to the trusted CA; xmlsec1 does not know whose document it is'),
  });
  await write('unpinned-signer-without-tax-code.xml', await signReceipt(await subscriber('unnamed-subscriber', {})), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-chain',
    reason: 'not pinned .* names no tax code',
    xmlsec: cannot('the certificate chains to the trusted CA; xmlsec1 does not know whose document it is'),
  });

  // certificate-chain: what a CA allows below it. A sub-CA limited to end entities (pathLenConstraint 0)
  // cannot make a sub-CA whose signers count; a CA certificate that may not sign certificates makes none that count.
  const caKeys = rsaKeys();
  const limited = issueCertificate({ publicKey: caKeys.forgePublic, commonName: 'Receipts Limited Sub CA', ca, isCa: true, pathLength: 0 });
  const deeperKeys = rsaKeys();
  const deeper = issueCertificate({ publicKey: deeperKeys.forgePublic, commonName: 'Receipts Sub-Sub CA', ca: { cert: limited, key: caKeys.forgePrivate }, isCa: true });
  const belowKeys = rsaKeys();
  const below = issueCertificate({ publicKey: belowKeys.forgePublic, commonName: 'Signer Below The Path Length', ca: { cert: deeper, key: deeperKeys.forgePrivate }, taxCode: center.taxCode });
  await write(
    'ca-beyond-path-length.xml',
    await signReceipt(await throwaway(certDir, 'beyond-path-length', { key: belowKeys.keyPem, chain: [below, deeper, limited].map((c) => forge.pki.certificateToPem(c)) })),
    { ...receipt, valid: false, failedCheck: 'certificate-chain', reason: 'allows 0 CAs below it \\(pathLenConstraint\\), the chain has 1', xmlsec: xmlsecJudges },
  );
  const noSignKeys = rsaKeys();
  const noCertSign = issueCertificate({ publicKey: noSignKeys.forgePublic, commonName: 'Receipts CA Without keyCertSign', ca, isCa: true, keyUsage: { digitalSignature: true } });
  const underKeys = rsaKeys();
  const under = issueCertificate({ publicKey: underKeys.forgePublic, commonName: 'Signer Under A Non-Signing CA', ca: { cert: noCertSign, key: noSignKeys.forgePrivate }, taxCode: center.taxCode });
  await write(
    'intermediate-without-key-cert-sign.xml',
    await signReceipt(await throwaway(certDir, 'no-key-cert-sign', { key: underKeys.keyPem, chain: [under, noCertSign].map((c) => forge.pki.certificateToPem(c)) })),
    { ...receipt, valid: false, failedCheck: 'certificate-chain', reason: 'no chain from .*Receipts CA Without keyCertSign', xmlsec: xmlsecJudges },
  );

  // certificate-validity.
  const expiredKeys = rsaKeys();
  const expiredCert = issueCertificate({
    publicKey: expiredKeys.forgePublic,
    commonName: 'Receipts Expired Signer',
    ca,
    taxCode: center.taxCode,
    notBefore: new Date(Date.UTC(2020, 0, 1)),
    notAfter: new Date(Date.UTC(2021, 0, 1)),
  });
  const expiredSigner = await throwaway(certDir, 'expired', { key: expiredKeys.keyPem, chain: [forge.pki.certificateToPem(expiredCert), pki.caPem] });
  await write('expired-certificate.xml', await signReceipt(expiredSigner), { ...receipt, valid: false, failedCheck: 'certificate-validity', reason: 'was valid 2020-01-01', xmlsec: xmlsecJudges });
  // The signing time in UTC with a fraction, not Vietnam local time to the second: the time the signature claims is not established.
  await write('signing-time-not-vietnam-local.xml', customSign(unsigned, { ...devCustom, signatureAlgorithm: RSA_SHA256_URI, digest: SHA256_URI, localTime: signingTime.toISOString() }), {
    ...receipt,
    valid: false,
    failedCheck: 'certificate-validity',
    reason: 'is not Vietnam local time YYYY-MM-DDThh:mm:ss',
    xmlsec: cannot('the signing time is text to xmlsec1'),
  });

  // certificate-chain: KeyInfo (unsigned) names another signer than the certificate it carries.
  await write(
    'subject-name-of-another-signer.xml',
    genuine.replace(/<X509SubjectName>[^<]*<\/X509SubjectName>/, `<X509SubjectName>CN=${center.name},UID=MST:${center.taxCode},C=VN</X509SubjectName>`),
    {
      ...receipt,
      valid: false,
      failedCheck: 'certificate-chain',
      reason: 'X509SubjectName .* is not the signer certificate.s subject',
      xmlsec: cannot('KeyInfo is outside the signed data and xmlsec1 finds the certificate anyway'),
    },
  );

  // key-usage: certificates from the trusted CA that are not for signing.
  const encipherKeys = rsaKeys();
  const encipherCert = issueCertificate({ publicKey: encipherKeys.forgePublic, commonName: 'Receipts Encryption Key', ca, keyUsage: { keyEncipherment: true }, taxCode: center.taxCode });
  await write('key-usage-not-signing.xml', await signReceipt(await throwaway(certDir, 'encipherment', { key: encipherKeys.keyPem, chain: [forge.pki.certificateToPem(encipherCert), pki.caPem] })), {
    ...receipt,
    valid: false,
    failedCheck: 'key-usage',
    reason: 'neither digitalSignature nor nonRepudiation',
    xmlsec: cannot('xmlsec1 does not check keyUsage'),
  });
  const subCaKeys = rsaKeys();
  const subCaCert = issueCertificate({
    publicKey: subCaKeys.forgePublic,
    commonName: 'Receipts Sub CA',
    ca,
    isCa: true,
    keyUsage: { keyCertSign: true, digitalSignature: true },
    taxCode: center.taxCode,
  });
  await write('ca-certificate-as-signer.xml', await signReceipt(await throwaway(certDir, 'sub-ca', { key: subCaKeys.keyPem, chain: [forge.pki.certificateToPem(subCaCert), pki.caPem] })), {
    ...receipt,
    valid: false,
    failedCheck: 'key-usage',
    reason: 'is a CA certificate',
    xmlsec: cannot('xmlsec1 lets a CA certificate sign a document'),
  });

  const serverKeys = rsaKeys();
  const serverCert = issueCertificate({ publicKey: serverKeys.forgePublic, commonName: 'Receipts Web Server', ca, taxCode: center.taxCode, extKeyUsage: { serverAuth: true } });
  await write(
    'extended-key-usage-server-only.xml',
    await signReceipt(await throwaway(certDir, 'server-only', { key: serverKeys.keyPem, chain: [forge.pki.certificateToPem(serverCert), pki.caPem] })),
    {
      ...receipt,
      valid: false,
      failedCheck: 'key-usage',
      reason: 'extendedKeyUsage allows only 1\\.3\\.6\\.1\\.5\\.5\\.7\\.3\\.1, not signing documents',
      xmlsec: cannot('xmlsec1 does not check extendedKeyUsage for documents'),
    },
  );

  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(entries, null, 2)}\n`);
  return entries;
}
