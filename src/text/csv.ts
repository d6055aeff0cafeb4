import { stringify } from 'csv-stringify/sync';

/**
 * A cell a spreadsheet would read as a formula: one starting with =, +, -, @
 * (or a tab or CR, which some spreadsheets skip before the formula). Payer
 * and department names are typed by people; a name such as
 * =HYPERLINK("http://…") must reach the accountant's spreadsheet as text
 * (OWASP, CSV injection). Numbers are numbers and are left alone: a negative
 * amount stays a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
/** The same after a ";" inside the text: a spreadsheet splitting on ";" starts a cell there, quotes or not. */
const FORMULA_AFTER_SEMICOLON = /;(?=\s*[=+\-@\t\r])/g;

export const neutralise = (value: string) => {
  const inner = value.replace(FORMULA_AFTER_SEMICOLON, ";'");
  return FORMULA_START.test(inner) ? `'${inner}` : inner;
};

/**
 * CSV for spreadsheets: UTF-8 with a BOM (Excel reads Vietnamese then), CRLF,
 * text cells neutralised and always quoted. A spreadsheet that splits on
 * another separator than the comma (Excel in a Vietnamese or European locale
 * uses ";") honours quotes only at the start of a field, so a row with two
 * ";" in its text starts a cell after the second one: a formula start after
 * any ";" is neutralised too (`Trần Văn B;=1+1` → `Trần Văn B;'=1+1`).
 */
export function spreadsheetCsv(rows: Array<Array<string | number>>): string {
  return stringify(rows, { bom: true, record_delimiter: 'windows', quoted_string: true, cast: { string: neutralise } });
}
