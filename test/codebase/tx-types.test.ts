import t from 'tap';
import { appendEvent } from '../../src/audit/chain.ts';
import type { Db, Tx } from '../../src/db/db.ts';
import { lockSeries } from '../../src/receipts/numbering.ts';
import { lockReceipt } from '../../src/receipts/repository.ts';
import { lockStaff } from '../../src/staff/repository.ts';

/**
 * Functions that take a lock accept only a transaction (`Tx`, handed out by
 * Db.transaction), never the pool, where a lock would end with its own
 * statement. This is checked by the compiler (`tsc --noEmit` in npm test):
 * each line below must stay a type error; widening one of these functions back
 * to the pool makes its `@ts-expect-error` unused, and the build fails.
 */
export function compileTimeChecks(db: Db, tx: Tx): void {
  // @ts-expect-error the pool cannot take the audit chain's lock
  void appendEvent(db, { actor: { keyId: null, name: 'x' }, action: 'x', subjectType: 'x', subjectId: 'x' }, new Date());
  // @ts-expect-error nor a series row's
  void lockSeries(db, { department: 'STP', year: 2026, date: '2026-01-01' });
  // @ts-expect-error nor a receipt's
  void lockReceipt(db.pool, 'id');
  // @ts-expect-error nor the staff table's
  void lockStaff(db);
  // A transaction can.
  void lockStaff(tx);
}

t.test('lock-taking functions accept only a transaction (checked when the suite is compiled)', async (t) => {
  t.equal(typeof compileTimeChecks, 'function');
});
