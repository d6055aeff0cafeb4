import { DOMParser } from '@xmldom/xmldom';
import { SignedXml } from 'xml-crypto';
import { derToPem } from '../signing/certificates.ts';
import { isDevelopmentCertificate } from '../signing/dev-certificates.ts';
import { buildChain, keyUsage, validAt } from './certificates.ts';
import { documentKinds, kindOf, readSignedContent, type SignedContent } from './documents.ts';
import { schemaValidator } from './schema.ts';

/** Largest document accepted: a daily summary of a very busy day fits many times over. */
export const MAX_DOCUMENT_BYTES = 4 * 1024 * 1024;
/** Deepest element nesting accepted; our documents nest 8 levels. */
export const MAX_DEPTH = 32;
/** A signing time this far ahead of the verifier's clock is not believed. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';
/**
 * The signature profile (DOMAIN.md): RSA-SHA256 or ECDSA-SHA256, exclusive
 * C14N, SHA-256 digests. SHA-1 (collisions) and HMAC (a shared secret is no
 * signature: anyone who can check it can forge it) are refused.
 */
const SIGNATURE_METHODS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256']);
const TRANSFORMS = new Set([ENVELOPED, EXC_C14N]);

export const checkNames = [
  'size', 'well-formed', 'document-type', 'schema', 'signature-count', 'algorithms', 'reference-coverage',
  'certificate-chain', 'digest', 'signature-value', 'certificate-validity', 'key-usage', 'record-match',
] as const;
export type CheckName = (typeof checkNames)[number];

export interface Check {
  name: CheckName;
  passed: boolean;
  /** A check that does not apply (record match offline) is skipped: not failed, not counted. */
  skipped?: boolean;
  reason: string;
}

export interface VerificationResult {
  valid: boolean;
  document: SignedContent | null;
  signer: { subject: string; issuer: string; serialNumber: string } | null;
  /** The pinned CA the signer chains to, and whether it is a development CA (never trusted in production). */
  trustAnchor: { subject: string; development: boolean } | null;
  signingTime: string | null;
  checks: Check[];
}

/** Compares what the signature covers with the stored record; absent offline. */
export type RecordMatcher = (content: SignedContent, bytes: Buffer) => Promise<{ passed: boolean; reason: string }>;

export interface VerifierOptions {
  trustAnchors: string[];
  recordMatch?: RecordMatcher;
  now?: () => Date;
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
    ...extra,
    checks: checkNames.flatMap((n) => checks.list.filter((c) => c.name === n)),
  };
}

/**
 * Verifies one signed document. Every outcome is an entry per check with its
 * reason; any exception is a failure, never a pass. What the result says
 * about the document is read only from the canonical XML the signature
 * actually covers (xml-crypto's getSignedReferences), never from a separate
 * read of the document.
 */
export async function verifyDocument(input: Buffer | string, opts: VerifierOptions): Promise<VerificationResult> {
  const checks = new Checks();
  try {
    return await verify(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'), opts, checks);
  } catch (err) {
    const first = checkNames.find((n) => !checks.list.some((c) => c.name === n)) ?? 'record-match';
    checks.fail(first, `verification failed: ${err instanceof Error ? err.message : String(err)}`);
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
  checks.pass('size', `${bytes.length} bytes`);

  const xml = bytes.toString('utf8');
  // No DTDs: external entities read files or the network (XXE) and internal
  // ones expand exponentially ("billion laughs"). Our documents have none.
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) {
    checks.fail('well-formed', 'DOCTYPE and entity declarations are refused (external entities, entity expansion)');
    checks.notReached('well-formed', 'the document was not parsed');
    return result(checks);
  }
  let doc: Document;
  try {
    const parseErrors: string[] = [];
    doc = new DOMParser({ onError: (level, message) => { if (level !== 'warning') parseErrors.push(message); } })
      .parseFromString(xml, 'text/xml') as unknown as Document;
    if (parseErrors.length > 0 || !doc.documentElement) throw new Error(parseErrors[0] ?? 'no root element');
  } catch (err) {
    checks.fail('well-formed', `not well-formed XML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    checks.notReached('well-formed', 'the document was not parsed');
    return result(checks);
  }
  const depth = depthOf(doc.documentElement!);
  if (depth > MAX_DEPTH) {
    checks.fail('well-formed', `elements nest deeper than ${MAX_DEPTH}`);
    checks.notReached('well-formed', 'the document was refused');
    return result(checks);
  }
  checks.pass('well-formed', 'well-formed, no DTD');

  const root = doc.documentElement!;
  const kind = root.namespaceURI ? null : kindOf(root.localName ?? '');
  if (!kind) {
    checks.fail('document-type', `root element <${root.tagName}> is none of ${Object.keys(documentKinds).join(', ')}`);
    checks.notReached('document-type', 'unknown document');
    return result(checks);
  }
  checks.pass('document-type', `${kind.type} (${root.localName})`);

  const schema = await schemaValidator.validate(kind.schema, xml);
  if (schema.valid) checks.pass('schema', `valid against schemas/${kind.schema}`);
  else checks.fail('schema', `not valid against schemas/${kind.schema}: ${schema.errors.slice(0, 3).join('; ')}`);

  const signatures = Array.from(doc.getElementsByTagNameNS(DSIG, 'Signature'));
  if (signatures.length !== 1) {
    checks.fail('signature-count', `expected exactly one signature, found ${signatures.length}`);
    checks.notReached('signature-count', 'no single signature to check');
    return result(checks);
  }
  const signature = signatures[0]!;
  checks.pass('signature-count', 'exactly one signature');

  // Algorithms, read before anything is computed with them.
  const signedInfo = elementChildren(signature).find((e) => e.namespaceURI === DSIG && e.localName === 'SignedInfo');
  const algorithmOf = (parent: Element | undefined, name: string) =>
    parent ? elementChildren(parent).find((e) => e.namespaceURI === DSIG && e.localName === name)?.getAttribute('Algorithm') ?? null : null;
  const references = signedInfo ? elementChildren(signedInfo).filter((e) => e.namespaceURI === DSIG && e.localName === 'Reference') : [];
  const problems: string[] = [];
  const c14n = algorithmOf(signedInfo, 'CanonicalizationMethod');
  const method = algorithmOf(signedInfo, 'SignatureMethod');
  if (c14n !== EXC_C14N) problems.push(`canonicalization ${c14n} (exclusive C14N required)`);
  if (!method || !SIGNATURE_METHODS.has(method)) problems.push(`signature method ${method} (RSA-SHA256 or ECDSA-SHA256 required)`);
  for (const ref of references) {
    const digest = algorithmOf(ref, 'DigestMethod');
    if (digest !== SHA256) problems.push(`digest ${digest} (SHA-256 required)`);
    const transforms = elementChildren(ref).find((e) => e.localName === 'Transforms');
    for (const t of transforms ? elementChildren(transforms) : []) {
      const alg = t.getAttribute('Algorithm') ?? '';
      if (!TRANSFORMS.has(alg)) problems.push(`transform ${alg}`);
    }
  }
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
    if (references.length !== 2) return `expected 2 references (data and signing time), found ${references.length}`;
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
  const keyInfoCerts = Array.from(signature.getElementsByTagNameNS(DSIG, 'X509Certificate')).map((c) =>
    derToPem(Buffer.from((c.textContent ?? '').replace(/\s+/g, ''), 'base64')),
  );
  if (keyInfoCerts.length === 0) {
    checks.fail('certificate-chain', 'no X509Certificate in KeyInfo');
    checks.notReached('certificate-chain', 'no signer certificate');
    return result(checks);
  }
  const chain = buildChain(keyInfoCerts[0]!, keyInfoCerts.slice(1), opts.trustAnchors);
  const leaf = chain.path[0]!;
  const signer = { subject: leaf.subject.replace(/\n/g, ', '), issuer: leaf.issuer.replace(/\n/g, ', '), serialNumber: leaf.serialNumber };
  if (!chain.trusted) {
    checks.fail('certificate-chain', chain.reason);
    checks.notReached('certificate-chain', 'the signer is not trusted');
    return result(checks, { signer });
  }
  checks.pass('certificate-chain', chain.reason);
  const trustAnchor = { subject: chain.anchor!.subject.replace(/\n/g, ', '), development: isDevelopmentCertificate(chain.anchor!.toString()) };

  const sig = new SignedXml({
    publicCert: leaf.toString(),
    // Never take the key from KeyInfo: the chain above decided which key counts.
    getCertFromKeyInfo: () => null,
  });
  sig.loadSignature(signature as unknown as Node);
  let digestsOk = false;
  try {
    digestsOk = sig.checkSignature(xml);
    if (digestsOk) {
      checks.pass('digest', 'every reference digest matches');
      checks.pass('signature-value', 'the signature value verifies with the signer’s key');
    } else {
      checks.fail('digest', 'a reference digest does not match: the signed content was changed');
    }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/signature value .* is incorrect/.test(message)) {
      checks.pass('digest', 'every reference digest matches');
      checks.fail('signature-value', 'the signature value does not verify with the signer’s key');
    } else {
      checks.fail('digest', `references could not be checked: ${message}`);
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
  const signingTime = signedTime ? new Date(signedTime) : null;
  if (!signingTime || Number.isNaN(signingTime.getTime())) {
    checks.fail('certificate-validity', 'the signature carries no signed SigningTime');
  } else if (signingTime.getTime() > (opts.now?.() ?? new Date()).getTime() + CLOCK_SKEW_MS) {
    checks.fail('certificate-validity', `the signing time ${signingTime.toISOString()} is in the future`);
  } else {
    const v = validAt(chain.path, signingTime);
    if (v.passed) checks.pass('certificate-validity', v.reason);
    else checks.fail('certificate-validity', v.reason);
  }

  const usage = keyUsage(leaf.toString());
  if (leaf.ca) checks.fail('key-usage', 'the signer certificate is a CA certificate');
  else if (!usage) checks.fail('key-usage', 'the signer certificate has no keyUsage');
  else if (!usage.digitalSignature && !usage.nonRepudiation) checks.fail('key-usage', 'keyUsage allows neither digitalSignature nor nonRepudiation');
  else checks.pass('key-usage', `keyUsage: ${[usage.digitalSignature && 'digitalSignature', usage.nonRepudiation && 'nonRepudiation'].filter(Boolean).join(', ')}`);

  if (opts.recordMatch) {
    const match = await opts.recordMatch(content, bytes);
    if (match.passed) checks.pass('record-match', match.reason);
    else checks.fail('record-match', match.reason);
  } else {
    checks.skip('record-match', 'skipped: verified offline, without the database');
  }
  return result(checks, { document: content, signer, trustAnchor, signingTime: signingTime?.toISOString() ?? null });
}
