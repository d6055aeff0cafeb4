import fc from 'fast-check';
import t from 'tap';
import { centerPart, refundReversal, splitShares } from '../../src/shares/split.ts';

t.test('examples', async (t) => {
  t.same(splitShares(200_000, 1500), { center: 30_000, department: 170_000 });
  t.same(splitShares(33_333, 1500), { center: 4_999, department: 28_334 }, '4999.95 floors to 4999');
  t.same(splitShares(1, 1500), { center: 0, department: 1 });
  t.same(splitShares(1_000_000_000_000, 10_000), { center: 1_000_000_000_000, department: 0 });
  t.same(splitShares(999_999_999_999, 9_999), { center: 999_899_999_999, department: 100_000_000 }, 'exact beyond 2^53 intermediate');
  t.same(splitShares(50_000, 0), { center: 0, department: 50_000 });
  t.throws(() => centerPart(1.5, 1500), RangeError);
  t.throws(() => centerPart(100, 10_001), RangeError);
  // Three refunds of 1 VND each at 50%: splitting each alone gives the center 0+0+0 back of 1.
  const parts = [refundReversal(0, 1, 5000), refundReversal(1, 1, 5000), refundReversal(2, 1, 5000)];
  t.same(
    parts.map((p) => p.center),
    [0, 1, 0],
  );
  t.equal(
    parts.reduce((s, p) => s + p.center, 0),
    splitShares(3, 5000).center,
  );
});

t.test('split: parts add up, center is floor(amount × rate)', async () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), fc.integer({ min: 0, max: 10_000 }), (amount, rate) => {
      const s = splitShares(amount, rate);
      return (
        s.center + s.department === amount &&
        s.center >= 0 &&
        s.department >= 0 &&
        BigInt(s.center) * 10_000n <= BigInt(amount) * BigInt(rate) &&
        (BigInt(s.center) + 1n) * 10_000n > BigInt(amount) * BigInt(rate)
      );
    }),
    { numRuns: 5000 },
  );
});

t.test('refunds in any number of parts reverse exactly; a full refund brings both shares to zero', async () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 100_000_000 }),
      fc.integer({ min: 0, max: 10_000 }),
      fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }),
      (amount, rate, weights) => {
        // Cut `amount` into parts proportional to the weights, the last taking the remainder.
        const sum = weights.reduce((a, b) => a + b, 0);
        const parts = weights.map((w) => Math.floor((amount * w) / sum));
        parts[parts.length - 1]! += amount - parts.reduce((a, b) => a + b, 0);
        const original = splitShares(amount, rate);
        let refunded = 0;
        let center = original.center;
        let department = original.department;
        for (const part of parts) {
          const r = refundReversal(refunded, part, rate);
          if (r.center + r.department !== part || r.center < 0 || r.department < 0) return false;
          refunded += part;
          center -= r.center;
          department -= r.department;
          // After each step the remaining shares are those of the unrefunded amount.
          if (center !== centerPart(amount, rate) - centerPart(refunded, rate)) return false;
        }
        return center === 0 && department === 0;
      },
    ),
    { numRuns: 3000 },
  );
});
