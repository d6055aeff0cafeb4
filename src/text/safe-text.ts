import { z } from 'zod';

/**
 * Text a signed document can carry exactly. Every free-text field ends up in
 * signed XML, in reports and on printed pages; a character XML 1.0 cannot
 * carry (U+0000–U+001F, lone surrogates, U+FFFE/U+FFFF) would make a signed
 * receipt unreadable for good, after its number was used; CR and the Unicode
 * line separators are changed by XML parsers (so what was signed would differ
 * from what was stored); bidirectional overrides and zero-width characters
 * make a printed name read other than it is, and so do the characters that
 * render as nothing (Unicode's default-ignorables: Hangul fillers, soft
 * hyphens, variation selectors), as blank (U+2800) or as a placeholder
 * (U+FFFC, U+FFFD, which also marks text already damaged by a bad decoding).
 * All are refused, with the field and the character named; everything else is
 * trimmed and normalised to NFC.
 */
const INVISIBLE = String.raw`\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}\p{Noncharacter_Code_Point}\p{Default_Ignorable_Code_Point}\u2800\uFFFC\uFFFD`;
const FORBIDDEN = new RegExp(`[\\p{Cc}${INVISIBLE}]`, 'u');
/** Multi-line text (reasons) keeps LF; CRLF and CR become LF before anything else is checked. */
const FORBIDDEN_MULTILINE = new RegExp(`[^\\n\\P{Cc}]|[${INVISIBLE}]`, 'u');

const codePoint = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The first character of `value` a signed document cannot carry, or null. */
export function forbiddenCharacter(value: string, multiline = false): string | null {
  const m = (multiline ? FORBIDDEN_MULTILINE : FORBIDDEN).exec(value);
  return m ? codePoint(m[0]) : null;
}

/** Free text of 1–`max` characters (after trimming), safe to sign, store and print. */
export function safeText(max: number, opts: { multiline?: boolean } = {}) {
  return z
    .string()
    .overwrite((v) => (opts.multiline ? v.replace(/\r\n?/g, '\n') : v))
    .superRefine((v, ctx) => {
      const bad = forbiddenCharacter(v, opts.multiline);
      if (bad) ctx.addIssue({ code: 'custom', message: `contains ${bad}, which a signed document cannot carry` });
    })
    .overwrite((v) => v.trim().normalize('NFC'))
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
}

/** A query-string value compared with stored text: the same characters refused (a NUL would reach PostgreSQL). */
export function safeQueryText(max: number) {
  return z
    .string()
    .max(max)
    .refine((v) => forbiddenCharacter(v) === null, 'contains a character the service never stores');
}
