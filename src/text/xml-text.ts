/**
 * Text for xmlbuilder2's `.txt()`, which escapes `<` and `>` but leaves an
 * `&` alone when it looks like a reference (`&quot;`, `&nbsp;`, `&#1;`): typed
 * by a payer, such text would be read back as another character, or make the
 * document unreadable, after it was signed. Every `&` is escaped here, so
 * xmlbuilder2 writes exactly the text given (test/receipts/xml-text.test.ts).
 */
export const xmlText = (value: string): string => value.replaceAll('&', '&amp;');
