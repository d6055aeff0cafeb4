import type { Queryable } from '../db/db.ts';
import { isUuid } from '../http/ids.ts';
import { errorNoticeXml, receiptByNumber, refundVoucher, registrationXmlByDataId, summaryByDataId } from './repository.ts';
import { summaryCompleteness } from './summary-completeness.ts';
import { vietnamDate, vietnamLocalTime, wholeSecond } from '../time/vietnam.ts';
import type { SignedContent } from './documents.ts';
import type { RecordMatcher, RecordStatus } from './verifier.ts';

/** The largest value of a PostgreSQL integer column. */
const MAX_INT = 2_147_483_647;

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

function compareBytes(what: string, stored: Buffer, given: Buffer): { passed: boolean; reason: string } {
  if (stored.equals(given)) return { passed: true, reason: `byte for byte the stored ${what}` };
  return { passed: false, reason: `differs from the stored ${what} from byte ${firstDifference(stored, given)} (${stored.length} stored, ${given.length} given)` };
}

/**
 * Compares a verified document with what the center recorded: found by the
 * identifiers the signature covers (template, series and number for a
 * receipt), then byte for byte, and the record's own columns against the
 * signed values — so an edit of the stored bytes or of the record shows.
 */
export function recordMatcher(db: Queryable): RecordMatcher {
  return async (content: SignedContent, bytes: Buffer, signingTime: Date | null) => {
    switch (content.type) {
      case 'receipt': {
        // What a document says is checked before it reaches a query: a number no column holds has no record.
        const number = content.number ?? NaN;
        if (!content.template || !content.series || !Number.isSafeInteger(number) || number < 1 || number > MAX_INT) {
          return { passed: false, reason: `no receipt ${content.template} ${content.series} ${content.number} is recorded` };
        }
        const r = await receiptByNumber(db, content.template, content.series, number);
        const name = `receipt ${content.template} ${content.series} ${content.number}`;
        if (!r) return { passed: false, reason: `no ${name} is recorded` };
        if (r.total !== content.total || vietnamDate(r.issued_at) !== content.issueDate) {
          return { passed: false, reason: `the record of ${name} says ${r.total} VND on ${vietnamDate(r.issued_at)}; the signed receipt ${content.total} VND on ${content.issueDate}` };
        }
        // Online, the signing time is the server's own, recorded when it signed: a back-dated signature shows here.
        if (signingTime && wholeSecond(r.issued_at).getTime() !== signingTime.getTime()) {
          return { passed: false, reason: `the record of ${name} was signed at ${vietnamLocalTime(r.issued_at)}; the signature claims ${vietnamLocalTime(signingTime)} (Vietnam time)` };
        }
        const bytesMatch = compareBytes(name, r.xml, bytes);
        const replacedBy = r.replaced_by
          ? { template: r.replaced_by.template, series: r.replaced_by.series, number: r.replaced_by.number, issueDate: vietnamDate(new Date(r.replaced_by.issuedAt)) }
          : undefined;
        const record: RecordStatus = replacedBy
          ? { status: 'replaced', replacedBy }
          : r.refunded > 0
            ? { status: r.refunded >= r.total ? 'refunded' : 'partly-refunded', refunded: r.refunded }
            : { status: 'issued' };
        const now = replacedBy
          ? `; it has since been replaced by ${replacedBy.template} ${replacedBy.series} ${replacedBy.number} of ${replacedBy.issueDate}`
          : r.refunded > 0
            ? `; ${r.refunded} VND of its ${r.total} VND has since been refunded`
            : '';
        return { ...bytesMatch, reason: `${bytesMatch.reason}${now}`, record };
      }
      case 'refund-voucher': {
        if (!isUuid(content.documentId)) return { passed: false, reason: `no refund ${content.documentId} is recorded` };
        const r = await refundVoucher(db, content.documentId);
        if (!r?.voucher_xml) return { passed: false, reason: `no approved refund ${content.documentId} is recorded` };
        if (r.amount !== content.total) return { passed: false, reason: `the record says ${r.amount} VND; the signed voucher ${content.total} VND` };
        return { ...compareBytes(`refund voucher ${content.documentId}`, r.voucher_xml, bytes), record: { status: 'recorded' as const } };
      }
      case 'error-notice': {
        if (!isUuid(content.documentId)) return { passed: false, reason: `no error notice ${content.documentId} is recorded` };
        const xml = await errorNoticeXml(db, content.documentId);
        if (!xml) return { passed: false, reason: `no error notice ${content.documentId} is recorded` };
        return { ...compareBytes(`error notice ${content.documentId}`, xml, bytes), record: { status: 'recorded' as const } };
      }
      case 'daily-summary': {
        // The stored summary, found by its data Id, byte for byte; and it lists exactly the day's receipts (a supplement: only receipts of that day).
        const r = await summaryByDataId(db, content.dataId.slice(0, 100));
        if (!r) return { passed: false, reason: `no daily summary ${content.dataId} is recorded` };
        const bytes_ = compareBytes(`daily summary ${content.dataId}`, r.xml, bytes);
        if (!bytes_.passed) return bytes_;
        const q = { date: r.business_date, department: r.department_code || undefined, supplement: r.supplement };
        const incomplete = await summaryCompleteness(db, q, content.receipts ?? []);
        if (incomplete) return { passed: false, reason: `the summary ${incomplete}` };
        const what = r.supplement > 0 ? `its ${content.receipts?.length ?? 0} rows are receipts of that day` : `it lists every one of the day's ${content.receipts?.length ?? 0} receipts`;
        return { passed: true, reason: `${bytes_.reason}; ${what}`, record: { status: 'recorded' as const } };
      }
      case 'registration': {
        const xml = await registrationXmlByDataId(db, content.dataId.slice(0, 100));
        if (!xml) return { passed: false, reason: `no registration ${content.dataId} is recorded` };
        return { ...compareBytes(`registration ${content.dataId}`, xml, bytes), record: { status: 'recorded' as const } };
      }
    }
  };
}
