import t from 'tap';
import fc from 'fast-check';
import { amountInWords, numberToWords, wordsReadAs } from '../../src/money/words.ts';

const cases: Array<[number, string]> = [
  [1, 'Một đồng'],
  [5, 'Năm đồng'],
  [10, 'Mười đồng'],
  [11, 'Mười một đồng'],
  [14, 'Mười bốn đồng'],
  [15, 'Mười lăm đồng'],
  [20, 'Hai mươi đồng'],
  [21, 'Hai mươi mốt đồng'],
  [24, 'Hai mươi tư đồng'],
  [25, 'Hai mươi lăm đồng'],
  [101, 'Một trăm linh một đồng'],
  [105, 'Một trăm linh năm đồng'],
  [110, 'Một trăm mười đồng'],
  [115, 'Một trăm mười lăm đồng'],
  [1_000, 'Một nghìn đồng'],
  [1_005, 'Một nghìn không trăm linh năm đồng'],
  [10_500, 'Mười nghìn năm trăm đồng'],
  [50_000, 'Năm mươi nghìn đồng'],
  [1_000_024, 'Một triệu không trăm hai mươi tư đồng'],
  [1_250_000, 'Một triệu hai trăm năm mươi nghìn đồng'],
  [1_000_000_004, 'Một tỷ không trăm linh bốn đồng'],
  [1_000_001_000, 'Một tỷ không trăm linh một nghìn đồng'],
  [2_030_000_305, 'Hai tỷ không trăm ba mươi triệu ba trăm linh năm đồng'],
  [1_000_000_000_000, 'Một nghìn tỷ đồng'],
  [1_500_000_000_021, 'Một nghìn năm trăm tỷ không trăm hai mươi mốt đồng'],
];

for (const [amount, words] of cases) {
  t.equal(amountInWords(amount), words, `${amount.toLocaleString('en')}`);
}

t.test('rejects what is not a non-negative safe integer', async (t) => {
  t.throws(() => numberToWords(-1), RangeError);
  t.throws(() => numberToWords(1.5), RangeError);
  t.throws(() => numberToWords(2 ** 53), RangeError);
  t.equal(numberToWords(0), 'không');
});

t.test('properties over random amounts', async (t) => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 999_999_999_999_999 }), (n) => {
      const w = numberToWords(n);
      // no empty words, no doubled spaces, no "mươi một"/"mươi bốn" after twenty, and "mười" only before units
      return !w.includes('  ') && !/\b(hai|ba|bốn|năm|sáu|bảy|tám|chín) mươi (một|bốn|năm)\b/.test(w) && !/mười năm/.test(w) && (n % 10 !== 0 || !/(mốt|tư|lăm)$/.test(w));
    }),
    { numRuns: 2000 },
  );
  t.pass('2000 random amounts read well-formed');
});

t.test('words read as an amount: variants allowed, another sum never', async (t) => {
  t.equal(amountInWords(105_000), 'Một trăm linh năm nghìn đồng');
  for (const words of ['Một trăm linh năm nghìn đồng', 'một trăm lẻ năm ngàn đồng chẵn', 'MỘT TRĂM LINH NĂM NGHÌN ĐỒNG.', 'Một  trăm linh năm nghìn đồng chẵn.']) {
    t.equal(wordsReadAs(words, 105_000), true, `"${words}" reads as 105000`);
  }
  for (const words of ['Một trăm năm nghìn đồng', 'Một trăm linh năm nghìn', 'Một triệu linh năm nghìn đồng', 'chẵn', '']) {
    t.equal(wordsReadAs(words, 105_000), false, `"${words}" does not`);
  }
});
