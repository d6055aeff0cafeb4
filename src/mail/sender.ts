import nodemailer, { type Transporter } from 'nodemailer';
import type { Db } from '../db/db.ts';
import { receiptPageHtml } from '../lookup/routes.ts';
import { getReceipt, getReceiptXml } from '../receipts/repository.ts';
import { backoffMs } from '../tax/sender.ts';
import { errorNotice, lockNextMail, markMailFailed, markMailSent } from './repository.ts';
import { recordMatcher } from '../verification/record-match.ts';
import type { VerificationPool } from '../verification/pool.ts';

/** After this many failed attempts a mail is given up (`failed`), as is one the server refuses for good (5xx). */
export const MAIL_ATTEMPTS = 8;

export interface MailDeps {
  transport: Transporter;
  from: string;
  /** The address citizens reach the service at, for the links and the page's QR code. */
  baseUrl: string;
  verifier: VerificationPool;
  trustDir: string;
  now: () => Date;
}

/**
 * An SMTP transport from a URL: smtps://user:pass@host:465 (TLS), or
 * smtp://…:587, which must upgrade with STARTTLS (else someone on the way
 * could strip it and read the password and the receipts), unless the URL
 * says `?requireTLS=false` (a relay on the same machine).
 */
export function smtpTransport(url: string): Transporter {
  const u = new URL(url);
  if (u.protocol === 'smtp:' && !u.searchParams.has('requireTLS')) u.searchParams.set('requireTLS', 'true');
  return nodemailer.createTransport(u.toString());
}

const money = (n: number) => n.toLocaleString('vi-VN');

/** The mail of one queued row: a receipt, or an error notice on it, with the signed XML and the printable page attached. */
async function compose(db: Db, row: { kind: 'receipt' | 'error-notice'; receipt_id: string; notice_id: string | null }, deps: MailDeps) {
  const receipt = (await getReceipt(db, row.receipt_id))!;
  const xml = (await getReceiptXml(db, row.receipt_id))!;
  const verdict = await deps.verifier.verify(xml, { trustDir: deps.trustDir, now: deps.now(), expect: 'receipt', recordMatch: recordMatcher(db) });
  const page = await receiptPageHtml(db, receipt, { audience: 'public', baseUrl: deps.baseUrl, verdict });
  const name = `${receipt.template}-${receipt.series}-${receipt.number}`;
  const link = `${deps.baseUrl}/public/receipts/${receipt.lookupCode}`;
  const attachments = [
    { filename: `bien-lai-${name}.xml`, content: xml, contentType: 'application/xml' },
    { filename: `bien-lai-${name}.html`, content: page, contentType: 'text/html; charset=utf-8' },
  ];
  if (row.kind === 'receipt') {
    return {
      subject: `Biên lai điện tử ${receipt.series} số ${receipt.number} – ${receipt.department.name}`,
      text:
        `Kính gửi ${receipt.payer.name},\n\nBiên lai điện tử thu phí, lệ phí ký hiệu ${receipt.series} số ${receipt.number} ngày ${receipt.issueDate}, ` +
        `số tiền ${money(receipt.total)} đồng (${receipt.totalInWords}), được gửi kèm thư này (tệp XML đã ký số và trang in).\n` +
        `Tra cứu: ${link} (mã tra cứu ${receipt.lookupCode}).\n`,
      attachments,
    };
  }
  const notice = await errorNotice(db, row.notice_id);
  return {
    subject: `Thông báo sai sót biên lai ${receipt.series} số ${receipt.number} – ${receipt.department.name}`,
    text:
      `Kính gửi ${receipt.payer.name},\n\nBiên lai ${receipt.series} số ${receipt.number} ngày ${receipt.issueDate} có thông báo chứng từ điện tử đã lập sai (04/SS-CTĐT), ` +
      `gửi kèm thư này cùng trang in biên lai đã cập nhật.\nTra cứu: ${link}\n`,
    attachments: [{ filename: `thong-bao-sai-sot-${name}.xml`, content: notice!.xml, contentType: 'application/xml' }, attachments[1]!],
  };
}

/**
 * Sends the mail that is due, one at a time, each row locked while it is
 * sent (a second server skips it). A failure waits as transmissions do (30 s
 * doubling, at most an hour); a permanent refusal (5xx) or the eighth
 * failure marks it failed, with the reason.
 */
export async function sendDueMail(db: Db, deps: MailDeps, limit = 50): Promise<{ sent: number; failed: number }> {
  const outcome = { sent: 0, failed: 0 };
  for (let i = 0; i < limit; i++) {
    const step = await db.transaction(async (tx) => {
      const m = await lockNextMail(tx, deps.now());
      if (!m) return 'empty' as const;
      try {
        const mail = await compose(db, m, deps);
        await deps.transport.sendMail({ from: deps.from, to: m.address, ...mail });
        await markMailSent(tx, m.id, deps.now());
        return 'sent' as const;
      } catch (err) {
        const reason = (err instanceof Error ? err.message : String(err)).slice(0, 500);
        const permanent = Number((err as { responseCode?: number }).responseCode) >= 500 || m.attempts + 1 >= MAIL_ATTEMPTS;
        await markMailFailed(tx, m.id, { status: permanent ? 'failed' : 'pending', nextAttemptAt: new Date(deps.now().getTime() + backoffMs(m.attempts + 1)), error: reason });
        return 'failed' as const;
      }
    });
    if (step === 'empty') break;
    outcome[step]++;
  }
  return outcome;
}
