/**
 * Vietnamese amount in words (docs/rules.md, What a receipt shows). Pure: no I/O, exact on every
 * safe integer.
 */
const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'] as const;
const BILLION = 1_000_000_000;

function digit(d: number): string {
  return DIGITS[d]!;
}

/** The units digit after a tens digit: "mốt" after twenty, "tư" after twenty, "lăm" after ten. */
function unitsAfterTens(tens: number, units: number): string {
  if (units === 0) return '';
  if (units === 5) return 'lăm';
  if (units === 1 && tens >= 2) return 'mốt';
  if (units === 4 && tens >= 2) return 'tư';
  return digit(units);
}

/**
 * Reads 0..999. `inner` is true for a group that follows a higher non-zero
 * group: its hundreds are always read, "không trăm" included (1,000,024 →
 * "một triệu không trăm hai mươi tư").
 */
function readGroup(n: number, inner: boolean): string[] {
  const hundreds = Math.floor(n / 100);
  const tens = Math.floor(n / 10) % 10;
  const units = n % 10;
  const words: string[] = [];
  const hundredsRead = inner || hundreds > 0;
  if (hundredsRead) words.push(digit(hundreds), 'trăm');
  if (tens === 0) {
    if (units > 0) {
      if (hundredsRead) words.push('linh');
      words.push(digit(units));
    }
  } else {
    words.push(tens === 1 ? 'mười' : `${digit(tens)} mươi`);
    const u = unitsAfterTens(tens, units);
    if (u) words.push(u);
  }
  return words;
}

/** Reads 1..999,999,999 as millions, thousands and units; all-zero groups are skipped. */
function readBelowBillion(n: number, inner: boolean): string[] {
  const groups: Array<[number, string]> = [
    [Math.floor(n / 1_000_000), 'triệu'],
    [Math.floor(n / 1_000) % 1_000, 'nghìn'],
    [n % 1_000, ''],
  ];
  const words: string[] = [];
  for (const [value, unit] of groups) {
    if (value === 0) continue;
    words.push(...readGroup(value, inner || words.length > 0));
    if (unit) words.push(unit);
  }
  return words;
}

/** Reads n ≥ 1: above a billion, the count of billions is itself read as a number ("một nghìn tỷ"). */
function readPositive(n: number, inner: boolean): string[] {
  if (n < BILLION) return readBelowBillion(n, inner);
  const billions = Math.floor(n / BILLION);
  const rest = n % BILLION;
  const words = [...readPositive(billions, inner), 'tỷ'];
  if (rest > 0) words.push(...readBelowBillion(rest, true));
  return words;
}

/** The number in lower-case words, without the currency: 105 → "một trăm linh năm". */
export function numberToWords(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`not a non-negative safe integer: ${n}`);
  if (n === 0) return 'không';
  return readPositive(n, false).join(' ');
}

/** The amount as printed on a receipt: 1,250,000 → "Một triệu hai trăm năm mươi nghìn đồng". */
export function amountInWords(amount: number): string {
  const words = numberToWords(amount);
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} đồng`;
}

/**
 * Words compared as an amount: case, spacing, a final full stop and "chẵn"
 * ("exactly") aside, and the regional forms "lẻ" for "linh" and "ngàn" for
 * "nghìn" read as the same words.
 */
function wordsKey(words: string): string {
  return words
    .normalize('NFC')
    .toLowerCase()
    .replace(/[.,]/g, ' ')
    .replace(/(^|\s)chẵn(?=\s|$)/gu, ' ')
    .replace(/(^|\s)lẻ(?=\s|$)/gu, '$1linh')
    .replace(/(^|\s)ngàn(?=\s|$)/gu, '$1nghìn')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether `words` read as `amount` đồng (the service's words for it, allowing the variants above). */
export function wordsReadAs(words: string, amount: number): boolean {
  return wordsKey(words) === wordsKey(amountInWords(amount));
}
