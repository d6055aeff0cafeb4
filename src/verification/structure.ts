/**
 * The exact shape of the one Signature the profile allows. xml-crypto finds
 * CanonicalizationMethod, SignatureMethod, SignatureValue and KeyInfo as the
 * first matching descendants anywhere under Signature, while the profile
 * check reads SignedInfo's own children: an extra element placed earlier
 * (say a SignatureMethod nested in CanonicalizationMethod) would make the two
 * read different algorithms. With the shape exact, there is nothing else to
 * find: every element is where the profile expects it, once.
 */
import { SIGNATURE_PROPERTIES_NS, SIGNER_ROLE } from '../signing/xml-signature.ts';

export const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

type Content = 'empty' | 'text' | Array<{ shape: Shape; min: number; max: number }>;

interface Shape {
  name: string;
  ns: string;
  /** Attributes the element must carry; none other is allowed (namespace declarations aside). */
  attributes: string[];
  content: Content;
}

const el = (name: string, attributes: string[], content: Content, ns = DSIG): Shape => ({ name, ns, attributes, content });
const one = (shape: Shape) => ({ shape, min: 1, max: 1 });

const transform = el('Transform', ['Algorithm'], 'empty');
const reference = el('Reference', ['URI'], [one(el('Transforms', [], [{ shape: transform, min: 1, max: 2 }])), one(el('DigestMethod', ['Algorithm'], 'empty')), one(el('DigestValue', [], 'text'))]);

export const SIGNATURE_SHAPE: Shape = el(
  'Signature',
  ['Id'],
  [
    one(el('SignedInfo', [], [one(el('CanonicalizationMethod', ['Algorithm'], 'empty')), one(el('SignatureMethod', ['Algorithm'], 'empty')), { shape: reference, min: 2, max: 2 }])),
    one(el('SignatureValue', [], 'text')),
    one(el('KeyInfo', [], [one(el('X509Data', [], [one(el('X509SubjectName', [], 'text')), { shape: el('X509Certificate', [], 'text'), min: 1, max: 8 }]))])),
    one(el('Object', ['Id'], [one(el('SignatureProperties', [], [one(el('SignatureProperty', ['Target'], [one(el('SigningTime', [], 'text', SIGNATURE_PROPERTIES_NS))]))]))])),
  ],
);

const isNamespaceDeclaration = (a: Attr) => a.name === 'xmlns' || a.name.startsWith('xmlns:');

function describe(node: Node): string {
  if (node.nodeType === 1) {
    const e = node as Element;
    return `<${e.localName}>${e.namespaceURI && e.namespaceURI !== DSIG ? ` (namespace ${e.namespaceURI})` : ''}`;
  }
  if (node.nodeType === 8) return 'a comment';
  if (node.nodeType === 7) return 'a processing instruction';
  if (node.nodeType === 4) return 'a CDATA section';
  return 'text';
}

/** Null when `element` has exactly the shape; otherwise what differs, in words. */
function match(element: Element, shape: Shape, where: string): string | null {
  const here = `${where}/${shape.name}`;
  if (element.localName !== shape.name || element.namespaceURI !== shape.ns) return `${where} holds ${describe(element)} where <${shape.name}> belongs`;
  const attributes = Array.from(element.attributes).filter((a) => !isNamespaceDeclaration(a));
  for (const a of attributes) {
    if (a.namespaceURI || !shape.attributes.includes(a.localName ?? a.name)) return `${here} carries an attribute ${a.name} the profile does not have`;
  }
  for (const name of shape.attributes) if (!element.hasAttribute(name)) return `${here} lacks its ${name} attribute`;

  const nodes = Array.from(element.childNodes);
  if (shape.content === 'empty' || shape.content === 'text') {
    const bad = nodes.find((n) => n.nodeType !== 3);
    if (bad) return `${here} holds ${describe(bad)}; it may hold ${shape.content === 'empty' ? 'nothing' : 'only text'}`;
    if (shape.content === 'empty' && nodes.some((n) => (n.nodeValue ?? '').trim() !== '')) return `${here} holds text; it must be empty`;
    return null;
  }
  const stray = nodes.find((n) => n.nodeType !== 1 && !(n.nodeType === 3 && (n.nodeValue ?? '').trim() === ''));
  if (stray) return `${here} holds ${describe(stray)} between its elements`;
  const children = nodes.filter((n): n is Element => n.nodeType === 1);
  let i = 0;
  for (const { shape: childShape, min, max } of shape.content) {
    let count = 0;
    while (count < max && i < children.length && children[i]!.localName === childShape.name && children[i]!.namespaceURI === childShape.ns) {
      const problem = match(children[i]!, childShape, here);
      if (problem) return problem;
      i++;
      count++;
    }
    if (count < min) {
      return i < children.length
        ? `${here} holds ${describe(children[i]!)} where <${childShape.name}> belongs`
        : `${here} lacks <${childShape.name}>${min > 1 ? ` (${min} expected, ${count} found)` : ''}`;
    }
  }
  if (i < children.length) return `${here} holds ${describe(children[i]!)}, which the profile does not have there`;
  return null;
}

/**
 * Checks the signature's place (the root's DSCKS, in the signer's role
 * element NNT) and exact shape, and that its SignatureProperty targets this
 * very signature.
 */
export function signatureStructureProblem(signature: Element, root: Element): string | null {
  const role = signature.parentNode as Element | null;
  const dscks = role?.parentNode as Element | null | undefined;
  if (!role || role.localName !== SIGNER_ROLE || role.namespaceURI || !dscks || dscks.localName !== 'DSCKS' || dscks.namespaceURI || dscks.parentNode !== root) {
    return `the signature is not in the root's <DSCKS>/<${SIGNER_ROLE}>`;
  }
  const problem = match(signature, SIGNATURE_SHAPE, `<${root.localName}>/DSCKS/${SIGNER_ROLE}`);
  if (problem) return problem;
  const property = signature.getElementsByTagNameNS(DSIG, 'SignatureProperty')[0]!;
  if (property.getAttribute('Target') !== `#${signature.getAttribute('Id')}`) {
    return `the signing time's SignatureProperty targets "${property.getAttribute('Target')}", not this signature`;
  }
  return null;
}
