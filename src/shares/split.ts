/**
 * The share rules of docs/rules.md (Money between the department and the center), as pure integer arithmetic. Rates are
 * basis points (1500 = 15%); products are computed in BigInt because an
 * amount of up to 10^12 VND times 10,000 exceeds 2^53.
 */
export const BASIS_POINTS = 10_000;

/** floor(amount × rate): the center's part of `amount`. */
export function centerPart(amount: number, rateBp: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new RangeError(`amount must be a non-negative safe integer: ${amount}`);
  if (!Number.isInteger(rateBp) || rateBp < 0 || rateBp > BASIS_POINTS) throw new RangeError(`rate must be 0–10000 bp: ${rateBp}`);
  return Number((BigInt(amount) * BigInt(rateBp)) / BigInt(BASIS_POINTS));
}

export interface Shares {
  center: number;
  department: number;
}

/** A receipt's split per department and kind: center = floor(amount × rate), department = the rest. */
export function splitShares(amount: number, rateBp: number): Shares {
  const center = centerPart(amount, rateBp);
  return { center, department: amount - center };
}

/**
 * The reversal of refund k, by the cumulative rule: with R the refunded total
 * before it and R + amount after it, the center gives back
 * floor((R + amount) × rate) − floor(R × rate), at the receipt's own rate.
 * However a receipt is refunded in parts, a full refund brings both shares
 * back to exactly zero. Returned as positive amounts.
 */
export function refundReversal(refundedBefore: number, amount: number, rateBp: number): Shares {
  const center = centerPart(refundedBefore + amount, rateBp) - centerPart(refundedBefore, rateBp);
  return { center, department: amount - center };
}

/**
 * Splits a receipt's cumulative refunded total across its kinds in proportion
 * to their amounts: floor(refunded × amount_k / total) for every kind but the
 * last, which takes the rest. Cumulative, so each kind's part only grows and a
 * full refund gives each kind exactly its amount.
 */
export function refundedByKind<K extends string>(parts: Array<{ kind: K; amount: number }>, refunded: number): Map<K, number> {
  const total = parts.reduce((s, p) => s + p.amount, 0);
  if (refunded < 0 || refunded > total) throw new RangeError(`refunded ${refunded} is outside 0..${total}`);
  const out = new Map<K, number>();
  let allocated = 0;
  parts.forEach((p, i) => {
    const share = i === parts.length - 1 ? refunded - allocated : Number((BigInt(refunded) * BigInt(p.amount)) / BigInt(total));
    out.set(p.kind, share);
    allocated += share;
  });
  return out;
}
