import type { Principal } from '../http/access.ts';
import { AppError } from '../http/errors.ts';

/**
 * The maker-checker rules shared by refunds, replacements and error notices:
 * every correction that moves money or changes what a signed receipt says is
 * asked for by one person and decided by another.
 */

/** Who asked: the key and the person holding it. */
export interface Requester {
  keyId: string;
  keyName: string;
  staffId: string;
  staffName: string;
  counter: string | null;
}

/**
 * Cash handling: the person who asked for a refund or a correction does not
 * decide it, with the same key or another of theirs. People are staff
 * members, so two keys of one person are one person whatever they are named.
 */
export function checkSeparation(requester: Requester, principal: Principal, what: 'refund' | 'correction'): void {
  if (requester.keyId === principal.keyId || requester.staffId === principal.staffId) {
    throw new AppError('SEPARATION_OF_DUTIES', `${requester.staffName} asked for this ${what}: another person must approve or reject it`);
  }
}

/**
 * A cashier key may ask to correct or refund only receipts of its own
 * counter, unless an admin gave it the center's scope: a counter cannot
 * reach into another counter's cash.
 */
export function checkCounterScope(principal: Principal, receipt: { counter_code: string | null; series: string; number: number }): void {
  if (principal.role !== 'cashier' || principal.scope === 'center') return;
  if (receipt.counter_code !== principal.counter) {
    const where = (c: string | null) => (c ? `counter ${c}` : 'no counter');
    throw new AppError(
      'OUTSIDE_COUNTER_SCOPE',
      `receipt ${receipt.series} ${receipt.number} was issued at ${where(receipt.counter_code)}; this key may correct and refund only receipts of ${where(principal.counter)}`,
    );
  }
}
