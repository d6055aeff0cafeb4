import { isUtf8 } from 'node:buffer';
import { DOMParser } from '@xmldom/xmldom';
import { derToPem, x509SubjectName } from '../certificates/pem.ts';
import { parseVietnamLocalTime } from '../time/vietnam.ts';
import { isDevelopmentCertificate } from '../certificates/development.ts';
import { ENVELOPED, EXC_C14N, profileVerifier, SHA256, SIGNATURE_METHODS } from './algorithms.ts';
import { buildChain, keyUsage, signerCertificateProblem, validAt } from '../certificates/chain.ts';
import { documentKinds, kindOf, readSignedContent, type DocumentType, type SignedContent } from './documents.ts';
import { signerIdentity } from '../certificates/identity.ts';
import { checkRevocation, revocationLists } from './revocation.ts';
import { schemaProblem, schemaValidator } from './schema.ts';
import { DSIG, signatureStructureProblem } from './structure.ts';
import type { SignedFields } from './signed-fields.ts';
import type { TrustStore } from './trust.ts';

/** Largest document accepted: a daily summary of a very busy day fits many times over. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/**
 * Most elements accepted. Parsing cost grows with elements, not bytes: 4 MB of
 * empty elements would keep a parser busy for seconds. A receipt has ~40
 * elements; a day's summary of 2,000 receipts about 30,000.
 */
export const MAX_ELEMENTS = 100_000;
/** Deepest element nesting accepted; our documents nest 8 levels. */
export const MAX_DEPTH = 32;
/**
 * Most attributes on one element. Parsers check each new attribute against
 * the element's others, so the cost grows with the square of their number:
 * 80,000 on one element keep a thread busy for most of a minute. Ours carry
 * at most three.
 */
export const MAX_ATTRIBUTES = 64;
/** A signing time this far ahead of the verifier's clock is not believed. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

export const checkNames = [
  'size',
  'well-formed',
  'document-type',
  'schema',
  'signature-count',
  'signature-structure',
  'algorithms',
  'reference-coverage',
  'certificate-chain',
  'digest',
  'signature-value',
  'certificate-validity',
  'key-usage',
  'record-match',
] as const;
export type CheckName = (typeof checkNames)[number];

export interface Check {
  name: CheckName;
  passed: boolean;
  /** A check that does not apply (record match offline) is skipped: not failed, not counted. */
  skipped?: boolean;
  reason: string;
}

/** What the center's records say of the document now (online only). */
export interface RecordStatus {
  /** issued, replaced, or (for a receipt) partly or fully refunded. */
  status: 'issued' | 'replaced' | 'partly-refunded' | 'refunded' | 'recorded';
  replacedBy?: { template: string; series: string; number: number; issueDate: string };
  refunded?: number;
}

export interface VerificationResult {
  valid: boolean;
  document: SignedContent | null;
  signer: { subject: string; issuer: string; serialNumber: string } | null;
  /** The pinned CA the signer chains to, and whether it is a development CA (never trusted in production). */
  trustAnchor: { subject: string; development: boolean } | null;
  signingTime: string | null;
  record: RecordStatus | null;
  /** The canonical data element the signature covers, when asked for (keepSignedData). */
  signedData?: string;
  /** What the period audit reads back: the fields of signedData, read in the verification thread. */
  signedFields?: SignedFields;
  checks: Check[];
}

/** Compares what the signature covers with the stored record; absent offline. */
export type RecordMatcher = (content: SignedContent, bytes: Buffer, signingTime: Date | null) => Promise<{ passed: boolean; reason: string; record?: RecordStatus }>;

export interface VerifierOptions {
  trust: TrustStore;
  recordMatch?: RecordMatcher;
  now?: () => Date;
  /** The kind of document the caller expects: another kind fails document-type, saying what it is. */
  expect?: DocumentType;
  /** Return the canonical data element the signature covers (signedData). */
  keepSignedData?: boolean;
}

function elementChildren(node: Node): Element[] {
  return Array.from(node.childNodes).filter((c): c is Element => c.nodeType === 1);
}

function depthOf(root: Node): number {
  let max = 0;
  const stack: Array<[Node, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    max = Math.max(max, depth);
    if (max > MAX_DEPTH) return max;
    for (const child of elementChildren(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/**
 * Start tags, and the most attributes on one of them, counted in one pass
 * before anything is parsed. Comments, CDATA, processing instructions and
 * quoted attribute values are skipped, so text (a payer's name full of "=")
 * counts for nothing; an attribute is an "=" in a tag outside quotes, and a
 * tag ends at its ">" or at the next "<", whichever comes first.
 */
export function markupCounts(xml: string): { elements: number; maxAttributes: number } {
  let elements = 0;
  let maxAttributes = 0;
  const n = xml.length;
  let i = xml.indexOf('<');
  while (i !== -1 && i < n) {
    const next = xml.charCodeAt(i + 1);
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      i = end === -1 ? -1 : xml.indexOf('<', end + 3);
      continue;
    }
    if (xml.startsWith('<![CDATA[', i)) {
      const end = xml.indexOf(']]>', i + 9);
      i = end === -1 ? -1 : xml.indexOf('<', end + 3);
      continue;
    }
    if (next === 63 /* ? */ || next === 33 /* ! */ || next === 47 /* / */) {
      const end = xml.indexOf('>', i + 1);
      i = end === -1 ? -1 : xml.indexOf('<', end + 1);
      continue;
    }
    elements++;
    let attributes = 0;
    let quote = 0;
    let j = i + 1;
    for (; j < n; j++) {
      const c = xml.charCodeAt(j);
      // No "<" belongs in a tag, quoted or not: a quote left open cannot hide what follows it.
      if (c === 60 /* < */) break;
      if (quote) {
        if (c === quote) quote = 0;
      } else if (c === 34 || c === 39) {
        quote = c;
      } else if (c === 61 /* = */) {
        attributes++;
      } else if (c === 62 /* > */) {
        break;
      }
    }
    if (attributes > maxAttributes) maxAttributes = attributes;
    i = xml.charCodeAt(j) === 60 ? j : xml.indexOf('<', j + 1);
  }
  return { elements, maxAttributes };
}

/** Every element carrying an Id attribute, by value (a signature wrapping attack duplicates one). */
function idsOf(doc: Document): Map<string, Element[]> {
  const ids = new Map<string, Element[]>();
  for (const el of Array.from(doc.getElementsByTagName('*'))) {
    for (const attr of ['Id', 'ID', 'id']) {
      const v = el.getAttribute(attr);
      if (v) ids.set(v, [...(ids.get(v) ?? []), el]);
    }
  }
  return ids;
}

const typeNames: Record<DocumentType, string> = {
  receipt: 'a receipt',
  'refund-voucher': 'a refund voucher',
  'error-notice': 'an error notice',
  'daily-summary': 'a daily summary',
  registration: 'a registration',
};

class Checks {
  readonly list: Check[] = [];
  pass(name: CheckName, reason: string): void {
    this.list.push({ name, passed: true, reason });
  }
  fail(name: CheckName, reason: string): void {
    this.list.push({ name, passed: false, reason });
  }
  skip(name: CheckName, reason: string): void {
    this.list.push({ name, passed: true, skipped: true, reason });
  }
  /** Replaces the verdict of a check made earlier (the chain, once the signing time is known). */
  amend(name: CheckName, passed: boolean, reason: string): void {
    const check = this.list.find((c) => c.name === name)!;
    check.passed = passed;
    check.reason = reason;
  }
  /** The checks that could not run because an earlier one failed. */
  notReached(after: CheckName, because: string): void {
    for (const name of checkNames.slice(checkNames.indexOf(after) + 1)) {
      if (!this.list.some((c) => c.name === name)) this.fail(name, `not established: ${because}`);
    }
  }
}

function result(checks: Checks, extra: Partial<VerificationResult> = {}): VerificationResult {
  return {
    valid: checks.list.every((c) => c.passed),
    document: null,
    signer: null,
    trustAnchor: null,
    signingTime: null,
    record: null,
    ...extra,
    checks: checkNames.flatMap((n) => checks.list.filter((c) => c.name === n)),
  };
}

/** The document without a UTF-8 byte order mark (an editor on Windows adds one on saving): it is outside anything signed. */
export function withoutBom(bytes: Buffer): Buffer {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
}

/** The result for a document refused at `name` before anything else was checked (a verification that ran out of time). */
export function refusedAt(name: CheckName, reason: string): VerificationResult {
  const checks = new Checks();
  for (const earlier of checkNames.slice(0, checkNames.indexOf(name))) checks.skip(earlier, 'not reported: the verification was stopped');
  checks.fail(name, reason);
  checks.notReached(name, 'verification stopped');
  return result(checks);
}

/**
 * Verifies one signed document. Every outcome is an entry per check with its
 * reason, in the service's own words; any exception is a failure, never a
 * pass. What the result says about the document is read only from the
 * canonical XML the signature actually covers (xml-crypto's
 * getSignedReferences), never from a separate read of the document.
 */
export async function verifyDocument(input: Buffer | string, opts: VerifierOptions): Promise<VerificationResult> {
  const checks = new Checks();
  try {
    return await verify(withoutBom(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8')), opts, checks);
  } catch {
    const first = checkNames.find((n) => !checks.list.some((c) => c.name === n)) ?? 'record-match';
    checks.fail(first, 'the document could not be processed at this step');
    checks.notReached(first, 'verification stopped');
    return result(checks);
  }
}

async function verify(bytes: Buffer, opts: VerifierOptions, checks: Checks): Promise<VerificationResult> {
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    checks.fail('size', `${bytes.length} bytes is over the limit of ${MAX_DOCUMENT_BYTES}`);
    checks.notReached('size', 'the document is too large');
    return result(checks);
  }
  // Signed documents are UTF-8; decoding anything else would silently replace bytes the signature may cover.
  if (!isUtf8(bytes)) {
    checks.pass('size', `${bytes.length} bytes`);
    checks.fail('well-formed', 'the document is not UTF-8 text');
    checks.notReached('well-formed', 'the document was not parsed');
    return result(checks);
  }
  const xml = bytes.toString('utf8');
  const { elements, maxAttributes } = markupCounts(xml);
  if (elements > MAX_ELEMENTS) {
    checks.fail('size', `${elements} elements is over the limit of ${MAX_ELEMENTS}`);
    checks.notReached('size', 'the document is too large');
    return result(checks);
  }
  if (maxAttributes > MAX_ATTRIBUTES) {
    checks.fail('size', `an element with ${maxAttributes} attributes is over the limit of ${MAX_ATTRIBUTES}`);
    checks.notReached('size', 'the document is too large');
    return result(checks);
  }
  checks.pass('size', `${bytes.length} bytes`);

  // No DTDs: external entities read files or the network (XXE) and internal
  // ones expand exponentially ("billion laughs"). Our documents have none.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    checks.fail('well-formed', 'DOCTYPE and entity declarations are refused (external entities, entity expansion)');
    checks.notReached('well-formed', 'the document was not parsed');
    return result(checks);
  }
  let doc: Document;
  let parseError: { line?: number } | null = null;
  try {
    doc = new DOMParser({
      onError: (level, _message, context) => {
        const line = (context as { locator?: { lineNumber?: number } } | undefined)?.locator?.lineNumber;
        if (level !== 'warning') parseError ??= { line: line || undefined };
      },
    }).parseFromString(xml, 'text/xml') as unknown as Document;
  } catch {
    parseError ??= {};
    doc = null as unknown as Document;
  }
  if (parseError || !doc?.documentElement) {
    const line = (parseError as { line?: number } | null)?.line;
    checks.fail('well-formed', `not well-formed XML${line ? ` (near line ${line})` : ''}`);
    checks.notReached('well-formed', 'the document was not parsed');
    return result(checks);
  }
  const depth = depthOf(doc.documentElement!);
  if (depth > MAX_DEPTH) {
    checks.fail('well-formed', `elements nest deeper than ${MAX_DEPTH}`);
    checks.notReached('well-formed', 'the document was refused');
    return result(checks);
  }
  checks.pass('well-formed', 'well-formed UTF-8 XML, no DTD');

  const root = doc.documentElement!;
  const kind = root.namespaceURI ? null : kindOf(root.localName ?? '');
  if (!kind) {
    checks.fail('document-type', `root element <${root.tagName}> is none of ${Object.keys(documentKinds).join(', ')}`);
    checks.notReached('document-type', 'unknown document');
    return result(checks);
  }
  if (opts.expect && kind.type !== opts.expect) {
    checks.fail('document-type', `this is ${typeNames[kind.type]} (${root.localName}), not ${typeNames[opts.expect]}`);
    checks.notReached('document-type', `not ${typeNames[opts.expect]}`);
    return result(checks);
  }
  checks.pass('document-type', `${kind.type} (${root.localName})`);

  const schema = await schemaValidator.validate(kind.schema, xml);
  if (schema.valid) checks.pass('schema', `valid against schemas/${kind.schema}`);
  else checks.fail('schema', `does not follow schemas/${kind.schema}: ${[...new Set(schema.errors.slice(0, 3).map(schemaProblem))].join('; ')}`);

  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  if (signatures.length !== 1) {
    checks.fail('signature-count', `expected exactly one signature, found ${signatures.length}`);
    checks.notReached('signature-count', 'no single signature to check');
    return result(checks);
  }
  const signature = signatures[0]!;
  checks.pass('signature-count', 'exactly one signature');

  const structure = signatureStructureProblem(signature, root);
  if (structure) {
    checks.fail('signature-structure', structure);
    checks.notReached('signature-structure', 'the signature is not shaped as the profile requires');
    return result(checks);
  }
  checks.pass('signature-structure', 'in DSCKS/NNT, shaped exactly as the profile requires');

  // Algorithms, read from the places the structure check has just pinned down.
  const signedInfo = elementChildren(signature)[0]!;
  const [c14nEl, methodEl, ...references] = elementChildren(signedInfo);
  const c14n = c14nEl!.getAttribute('Algorithm');
  const method = methodEl!.getAttribute('Algorithm');
  const problems: string[] = [];
  if (c14n !== EXC_C14N) problems.push(`canonicalization ${c14n} (exclusive C14N required)`);
  if (!method || !(SIGNATURE_METHODS as readonly string[]).includes(method)) problems.push(`signature method ${method} (RSA-SHA256 or ECDSA-SHA256 required)`);
  // The data reference is transformed exactly [enveloped, exc-c14n]; the signing time's exactly [exc-c14n].
  const expectedTransforms = [[ENVELOPED, EXC_C14N], [EXC_C14N]];
  references.forEach((ref, i) => {
    const [transformsEl, digestEl] = elementChildren(ref);
    const digest = digestEl!.getAttribute('Algorithm');
    if (digest !== SHA256) problems.push(`digest ${digest} (SHA-256 required)`);
    const transforms = elementChildren(transformsEl!).map((t) => t.getAttribute('Algorithm') ?? '');
    if (transforms.join(' ') !== expectedTransforms[i]!.join(' ')) {
      problems.push(`transforms ${transforms.join(', ')} on reference ${i + 1} (${expectedTransforms[i]!.join(', ')} required)`);
    }
  });
  if (problems.length > 0) {
    checks.fail('algorithms', `outside the signature profile: ${problems.join('; ')}`);
    checks.notReached('algorithms', 'algorithms outside the profile are not evaluated');
    return result(checks);
  }
  checks.pass('algorithms', `${method!.split('#')[1]}, exclusive C14N, SHA-256 digests`);

  // Coverage: the first reference must be the root's own data element, by an
  // Id unique in the document; the second the SigningTime object inside this
  // signature. A reference to a moved, duplicated or wrapped element fails here.
  const ids = idsOf(doc);
  const uris = references.map((r) => r.getAttribute('URI') ?? '');
  const dataElements = elementChildren(root).filter((e) => e.localName === kind.dataElement && !e.namespaceURI);
  const dataElement = dataElements.length === 1 && elementChildren(root)[0] === dataElements[0] ? dataElements[0]! : null;
  const dataId = dataElement?.getAttribute('Id') ?? '';
  const objectEl = (uri: string) => {
    const found = ids.get(uri.slice(1)) ?? [];
    return found.length === 1 && found[0]!.namespaceURI === DSIG && found[0]!.localName === 'Object' && found[0]!.parentNode === signature ? found[0]! : null;
  };
  const coverage = (() => {
    if (!dataElement) return `the root must hold one ${kind.dataElement}, first`;
    if (!dataId) return `${kind.dataElement} has no Id`;
    if ((ids.get(dataId) ?? []).length !== 1) return `Id "${dataId}" is not unique in the document`;
    if (uris[0] !== `#${dataId}`) return `the first reference is "${uris[0]}", not the document's ${kind.dataElement} (#${dataId})`;
    if (!objectEl(uris[1]!)) return `the second reference "${uris[1]}" is not a signature object of this signature`;
    return null;
  })();
  if (coverage) {
    checks.fail('reference-coverage', coverage);
    checks.notReached('reference-coverage', 'the signature does not cover the document');
    return result(checks);
  }
  checks.pass('reference-coverage', `covers ${kind.dataElement} #${dataId} and the signing time`);

  // The key: the document's certificate, trusted only through a chain to a pinned CA.
  const keyInfoCerts = Array.from(signature.getElementsByTagNameNS(DSIG, 'X509Certificate')).map((c) => derToPem(Buffer.from((c.textContent ?? '').replace(/\s+/g, ''), 'base64')));
  let chain: ReturnType<typeof buildChain>;
  try {
    chain = buildChain(keyInfoCerts[0]!, keyInfoCerts.slice(1), opts.trust.anchors);
  } catch {
    checks.fail('certificate-chain', 'a certificate in KeyInfo is not a readable X.509 certificate');
    checks.notReached('certificate-chain', 'no signer certificate');
    return result(checks);
  }
  const leaf = chain.path[0]!;
  const signer = { subject: leaf.subject.replace(/\n/g, ', '), issuer: leaf.issuer.replace(/\n/g, ', '), serialNumber: leaf.serialNumber };
  if (!chain.trusted) {
    checks.fail('certificate-chain', chain.reason);
    checks.notReached('certificate-chain', 'the signer is not trusted');
    return result(checks, { signer });
  }
  // KeyInfo is not signed: its subject name must at least be the certificate's own, not a name to mislead a reader.
  const subjectName = (signature.getElementsByTagNameNS(DSIG, 'X509SubjectName')[0]?.textContent ?? '').trim();
  const leafName = x509SubjectName(leaf.toString());
  if (subjectName !== leafName) {
    checks.fail('certificate-chain', `KeyInfo's X509SubjectName "${subjectName}" is not the signer certificate's subject "${leafName}"`);
    checks.notReached('certificate-chain', 'KeyInfo names another signer than its certificate');
    return result(checks, { signer });
  }
  checks.pass('certificate-chain', chain.reason);
  const trustAnchor = { subject: chain.anchor!.subject.replace(/\n/g, ', '), development: isDevelopmentCertificate(chain.anchor!.toString()) };

  const sig = profileVerifier(leaf.toString());
  let digestsOk = false;
  try {
    sig.loadSignature(signature as unknown as Node);
    digestsOk = sig.checkSignature(xml);
    if (digestsOk) {
      checks.pass('digest', 'every reference digest matches');
      checks.pass('signature-value', 'the signature value verifies with the signer’s key');
    } else {
      checks.fail('digest', 'a reference digest does not match: the signed content was changed');
    }
  } catch (err) {
    if (/signature value .* is incorrect/.test(err instanceof Error ? err.message : '')) {
      checks.pass('digest', 'every reference digest matches');
      checks.fail('signature-value', 'the signature value does not verify with the signer’s key');
    } else {
      checks.fail('digest', 'the signed references could not be computed');
    }
  }
  if (!digestsOk) {
    checks.notReached('digest', 'the signature does not verify');
    return result(checks, { signer, trustAnchor });
  }

  const signedRefs = sig.getSignedReferences();
  const signedData = signedRefs.find((r) => r.startsWith(`<${kind.dataElement}`));
  const signedTime = signedRefs.map((r) => /<SigningTime[^>]*>([^<]+)<\/SigningTime>/.exec(r)?.[1]).find(Boolean);
  if (!signedData) throw new Error('the verified references do not include the data element');
  const content = readSignedContent(kind.type, signedData);
  const signingTime = signedTime ? parseVietnamLocalTime(signedTime.trim()) : null;
  const timeKnown = signingTime !== null;
  if (!timeKnown) {
    checks.fail(
      'certificate-validity',
      signedTime ? `the signed SigningTime "${signedTime.slice(0, 40)}" is not Vietnam local time YYYY-MM-DDThh:mm:ss` : 'the signature carries no signed SigningTime',
    );
  } else if (signingTime.getTime() > (opts.now?.() ?? new Date()).getTime() + CLOCK_SKEW_MS) {
    checks.fail('certificate-validity', `the signing time ${signingTime.toISOString()} is in the future`);
  } else {
    const v = validAt(chain.path, signingTime);
    if (v.passed) checks.pass('certificate-validity', v.reason);
    else checks.fail('certificate-validity', v.reason);
  }

  // Revocation and the signer's identity belong to the chain, but need what
  // the signature vouches for: the signing time, and the issuer the document names.
  const { lists, unreadable } = revocationLists(opts.trust.crls);
  const identity = signerIdentity(leaf, opts.trust.signers, content.issuerTaxCode);
  const chainVerdict = { passed: identity.passed, reasons: [chain.reason, identity.reason] };
  if (unreadable.length > 0) {
    chainVerdict.passed = false;
    chainVerdict.reasons.push(`revocation cannot be established: ${unreadable.join(', ')} in the trust store is not a CRL`);
  } else if (timeKnown) {
    const revocation = await checkRevocation(chain.path, signingTime, lists);
    chainVerdict.passed &&= revocation.passed;
    chainVerdict.reasons.push(revocation.reason);
  }
  checks.amend('certificate-chain', chainVerdict.passed, chainVerdict.reasons.join('; '));

  const usageProblem = signerCertificateProblem(leaf);
  if (usageProblem) checks.fail('key-usage', usageProblem);
  else {
    const usage = keyUsage(leaf.toString())!;
    checks.pass('key-usage', `keyUsage: ${[usage.digitalSignature && 'digitalSignature', usage.nonRepudiation && 'nonRepudiation'].filter(Boolean).join(', ')}`);
  }

  let record: RecordStatus | null = null;
  if (opts.recordMatch) {
    const match = await opts.recordMatch(content, bytes, timeKnown ? signingTime : null);
    record = match.record ?? null;
    if (match.passed) checks.pass('record-match', match.reason);
    else checks.fail('record-match', match.reason);
  } else {
    checks.skip('record-match', 'skipped: verified offline, without the database');
  }
  return result(checks, {
    document: content,
    signer,
    trustAnchor,
    signingTime: timeKnown ? signingTime.toISOString() : null,
    record,
    ...(opts.keepSignedData ? { signedData } : {}),
  });
}
