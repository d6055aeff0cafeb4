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

export const neutralise = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

/**
 * CSV for spreadsheets: UTF-8 with a BOM (Excel reads Vietnamese then), CRLF,
 * text cells neutralised and always quoted. Quoting every text cell matters
 * where the spreadsheet splits on another separator than the comma (Excel in
 * a Vietnamese or European locale uses ";"): a payer named
 * `Trần Văn B;=1+1` stays inside a text cell instead of becoming a name and
 * a formula.
 */
export function spreadsheetCsv(rows: Array<Array<string | number>>): string {
  return stringify(rows, { bom: true, record_delimiter: 'windows', quoted_string: true, cast: { string: neutralise } });
}
