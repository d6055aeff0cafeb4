import { DOMParser } from '@xmldom/xmldom';

/**
 * Reading the canonical data element a signature covers: child elements by
 * local name along a path, their text, and the e-invoice family's "other
 * data" entries. Shared by what identifies a document (documents.ts) and
 * everything it says (signed-fields.ts), so both read it the same way.
 */
export const elements = (node: Element) => Array.from(node.childNodes).filter((c): c is Element => c.nodeType === 1);

export function child(parent: Element | undefined, path: string[]): Element | undefined {
  let node = parent;
  for (const name of path) node = node && elements(node).find((c) => c.localName === name);
  return node;
}

export const text = (parent: Element | undefined, path: string[]) => child(parent, path)?.textContent ?? undefined;

export const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

export function parse(canonical: string): Element {
  return new DOMParser().parseFromString(canonical, 'text/xml').documentElement as unknown as Element;
}

/** A value of TTKhac › TTin (TTruong, KDLieu, DLieu): the e-invoice family's place for other data. */
export function otherInfo(el: Element, field: string): string | undefined {
  const list = child(el, ['TTKhac']);
  const entry = list && elements(list).find((c) => c.localName === 'TTin' && text(c, ['TTruong']) === field);
  return entry ? text(entry, ['DLieu']) : undefined;
}
