import t from 'tap';
import type { SignedContent } from '../../src/verification/documents.ts';
import { recordMatcher } from '../../src/verification/record-match.ts';
import { freshDatabase } from '../helpers/db.ts';

t.test('what a signed document says is checked before it reaches a query', async (t) => {
  const database = await freshDatabase('postgres');
  t.teardown(() => database.close());
  const match = recordMatcher(database.db);
  const receipt = (number: number | undefined): SignedContent => ({ type: 'receipt', dataId: 'BL-x', template: 'EBL01', series: '26TTP', number, total: 1, issueDate: '2026-01-01' });
  for (const number of [Number.NaN, 1e12, 2 ** 31, 0, -1, 1.5, undefined]) {
    const r = await match(receipt(number), Buffer.from(''), null);
    t.same(r, { passed: false, reason: `no receipt EBL01 26TTP ${number} is recorded` }, `number ${number}: no record, no database error`);
  }
  for (const day of ['0000-01-01', '2026-02-30', '9999-12-31']) {
    const r = await match({ type: 'daily-summary', dataId: `TH-${day}`, day, receipts: [] }, Buffer.from(''), null);
    t.same(r, { passed: false, reason: `no daily summary TH-${day} is recorded` }, `day ${day}: no record, no database error`);
  }
});
