import { createHash } from 'node:crypto';
import { SignedXml } from 'xml-crypto';
import { AppError } from '../http/errors.ts';
import { vietnamLocalTime } from '../time/vietnam.ts';
import { x509SubjectName } from '../certificates/pem.ts';
import type { Signer } from './signer.ts';

const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ENVELOPED = 'http://www.w3.org/2000/09/xmldsig#enveloped-signature';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

export interface SignOptions {
  /** Id of the data element the first Reference covers (DLBLai for a receipt). */
  dataId: string;
  /** XPath of the element the Signature is appended to (DSCKS). */
  signatureParent: string;
  signingTime: Date;
}

/**
 * Makes an xml-crypto signature-algorithm class whose `getSignature` asks the
 * signer (file key or PKCS#11 token), so the private key never passes through
 * xml-crypto. xml-crypto instantiates algorithms by class, hence the factory.
 */
function signerAlgorithm(signer: Signer) {
  return class SignerAlgorithm {
    getAlgorithmName(): string {
      return signer.signatureMethod;
    }
    getSignature(signedInfo: string | Buffer, _key: unknown, callback?: (err: Error | null, value?: string) => void): void {
      signer.sign(Buffer.from(signedInfo)).then(
        (signature) => callback!(null, signature.toString('base64')),
        (err: unknown) => callback!(err instanceof Error ? err : new Error(String(err))),
      );
    }
    verifySignature(): boolean {
      throw new Error('SignerAlgorithm only signs');
    }
  };
}

function certificateBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----|\s/g, '');
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The namespace of our SigningTime element inside ds:SignatureProperty. */
export const SIGNATURE_PROPERTIES_NS = 'urn:receipts:signature-properties';

/** The element under DSCKS that holds the signature: the signer's role, NNT (the organisation that signs). */
export const SIGNER_ROLE = 'NNT';

/**
 * Signs a document by the signature profile (the tax authority's rules, QĐ
 * 1271 Part I §IV.4): enveloped XML-DSig, exclusive C14N, RSA-SHA256 (or
 * ECDSA-SHA256), one Reference to the data element and one to a ds:Object
 * holding the SigningTime in Vietnam local time (YYYY-MM-DDThh:mm:ss, whole
 * seconds, no offset), and KeyInfo/X509Data with the signer's subject name,
 * its certificate and its CAs.
 */
export function signXml(xml: string, signer: Signer, opts: SignOptions): Promise<string> {
  const signatureId = `SIG-${opts.dataId}`;
  const propertiesId = `SigningTime-${opts.dataId}`;
  const sig = new SignedXml({
    signatureAlgorithm: signer.signatureMethod,
    canonicalizationAlgorithm: EXC_C14N,
    privateKey: 'held by the signer',
    getKeyInfoContent: () =>
      `<X509Data><X509SubjectName>${escapeText(x509SubjectName(signer.certificateChain[0]!))}</X509SubjectName>` +
      `${signer.certificateChain.map((c) => `<X509Certificate>${certificateBody(c)}</X509Certificate>`).join('')}</X509Data>`,
    objects: [
      {
        attributes: { Id: propertiesId },
        content:
          `<SignatureProperties><SignatureProperty Target="#${signatureId}">` +
          `<SigningTime xmlns="${SIGNATURE_PROPERTIES_NS}">${vietnamLocalTime(opts.signingTime)}</SigningTime>` +
          `</SignatureProperty></SignatureProperties>`,
      },
    ],
  });
  sig.SignatureAlgorithms[signer.signatureMethod] = signerAlgorithm(signer) as never;
  sig.addReference({
    // Anchored: the data element is a child of the root; a // search scans the whole document.
    xpath: `/*/*[@Id='${opts.dataId}']`,
    transforms: [ENVELOPED, EXC_C14N],
    digestAlgorithm: SHA256,
  });
  sig.addReference({
    xpath: `//*[local-name(.)='Object' and @Id='${propertiesId}']`,
    transforms: [EXC_C14N],
    digestAlgorithm: SHA256,
  });
  return new Promise((resolve, reject) => {
    sig.computeSignature(xml, { location: { reference: opts.signatureParent, action: 'append' }, attrs: { Id: signatureId } }, (err, signed) =>
      err || !signed ? reject(err ?? new Error('signing produced nothing')) : resolve(signed.getSignedXml()),
    );
  });
}

const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

const base64Sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('base64');

/** An element's empty children written out, as Exclusive C14N writes them (`<A/>` → `<A></A>`). */
const expandEmpty = (xml: string) => xml.replace(/<([^\s<>/]+)((?:\s[^<>]*?)?)\/>/g, '<$1$2></$1>');

/**
 * The parts of a document of ours as openDocument serialises it, when its
 * data element's Exclusive C14N form is known without parsing: no namespace,
 * no character reference, no comment or processing instruction, no CR, and
 * no attribute but the data element's Id; text escaped as C14N escapes it
 * (&amp; &lt; &gt; and no other reference, quotes as they are: xmlText). Anything else: null, and the
 * document is signed through xml-crypto.
 */
function ownDocumentParts(xml: string, root: string, dataId: string): { head: string; data: string; tail: string } | null {
  const head = `<?xml version="1.0" encoding="UTF-8"?><${root}>`;
  const tail = `<DSCKS><${SIGNER_ROLE}/></DSCKS></${root}>`;
  if (!xml.startsWith(head) || !xml.endsWith(tail)) return null;
  const data = xml.slice(head.length, xml.length - tail.length);
  const open = /^<([A-Za-z]+) Id="([^"<>&]*)">/.exec(data);
  if (!open || open[2] !== dataId || !data.endsWith(`</${open[1]}>`)) return null;
  const rest = data.slice(open[0].length);
  // Of references only &amp; &lt; &gt;: anything else parses back to another text than it reads.
  if (/xmlns|&(?!amp;|lt;|gt;)|<!|<\?|\r|<[^\s<>/]+\s/.test(rest)) return null;
  return { head, data, tail };
}

/**
 * The same signature signXml makes, written directly: the two digests over
 * the Exclusive C14N forms (the data element, whose enveloped-signature
 * transform removes nothing since the signature sits outside it, and the
 * SigningTime object), SignedInfo in its C14N form signed, and the Signature
 * serialised as xml-crypto serialises it. For an RSA key the signed document
 * is byte for byte the one xml-crypto makes (test/signing/direct-signature.test.ts),
 * without parsing the document, walking XPath, or canonicalising a DOM.
 */
async function signOwnDocument(parts: { head: string; data: string; tail: string }, signer: Signer, opts: SignOptions): Promise<string> {
  const signatureId = `SIG-${opts.dataId}`;
  const propertiesId = `SigningTime-${opts.dataId}`;
  const properties =
    `<SignatureProperties><SignatureProperty Target="#${signatureId}">` +
    `<SigningTime xmlns="${SIGNATURE_PROPERTIES_NS}">${vietnamLocalTime(opts.signingTime)}</SigningTime>` +
    `</SignatureProperty></SignatureProperties>`;
  const reference = (uri: string, transforms: string[], digest: string) =>
    `<Reference URI="${uri}"><Transforms>${transforms.map((t) => `<Transform Algorithm="${t}"/>`).join('')}</Transforms>` +
    `<DigestMethod Algorithm="${SHA256}"/><DigestValue>${digest}</DigestValue></Reference>`;
  const signedInfo =
    `<SignedInfo><CanonicalizationMethod Algorithm="${EXC_C14N}"/><SignatureMethod Algorithm="${signer.signatureMethod}"/>` +
    reference(`#${opts.dataId}`, [ENVELOPED, EXC_C14N], base64Sha256(expandEmpty(parts.data))) +
    reference(`#${propertiesId}`, [EXC_C14N], base64Sha256(`<Object xmlns="${DSIG}" Id="${propertiesId}">${properties}</Object>`)) +
    '</SignedInfo>';
  const canonicalSignedInfo = expandEmpty(signedInfo).replace('<SignedInfo>', `<SignedInfo xmlns="${DSIG}">`);
  const signatureValue = (await signer.sign(Buffer.from(canonicalSignedInfo, 'utf8'))).toString('base64');
  const keyInfo =
    `<X509Data><X509SubjectName>${escapeText(x509SubjectName(signer.certificateChain[0]!))}</X509SubjectName>` +
    `${signer.certificateChain.map((c) => `<X509Certificate>${certificateBody(c)}</X509Certificate>`).join('')}</X509Data>`;
  const signature =
    `<Signature Id="${signatureId}" xmlns="${DSIG}">${signedInfo}<SignatureValue>${signatureValue}</SignatureValue>` +
    `<KeyInfo>${keyInfo}</KeyInfo><Object Id="${propertiesId}">${properties}</Object></Signature>`;
  // A function, not a string: a $ in the certificate's subject is not a replacement pattern.
  return `${parts.head}${parts.data}${parts.tail.replace(`<${SIGNER_ROLE}/>`, () => `<${SIGNER_ROLE}>${signature}</${SIGNER_ROLE}>`)}`;
}

/**
 * Signs one of our documents: `root` › data element (Id = dataId) and
 * DSCKS › an empty signer-role element (NNT) for the signature; directly when
 * its form allows (signOwnDocument), through xml-crypto otherwise. A failure
 * of the signer becomes SIGNER_UNAVAILABLE, so the caller's transaction rolls
 * back and nothing (no number, no state change) is used.
 */
export async function signDocument(xml: string, signer: Signer, opts: { root: string; dataId: string; signingTime: Date }): Promise<string> {
  const parts = ownDocumentParts(xml, opts.root, opts.dataId);
  // A pool takes a member that fails out: the document goes to the next one, once per member.
  for (let attempt = 1; ; attempt++) {
    // One key for the whole document: KeyInfo's certificate and the signature must match, whatever a key switch does meanwhile.
    const one = signer.pinned?.() ?? signer;
    const options: SignOptions = {
      dataId: opts.dataId,
      signatureParent: `/*[local-name(.)='${opts.root}']/*[local-name(.)='DSCKS']/*[local-name(.)='${SIGNER_ROLE}']`,
      signingTime: opts.signingTime,
    };
    try {
      return parts ? await signOwnDocument(parts, one, options) : await signXml(xml, one, options);
    } catch (err) {
      if (attempt < (signer.size ?? 1)) continue;
      throw new AppError('SIGNER_UNAVAILABLE', 'the document could not be signed; nothing was changed', undefined, { cause: err });
    }
  }
}
