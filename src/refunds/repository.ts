import type { Queryable } from '../db/db.ts';
import type { Refund } from './schemas.ts';

interface RefundRow {
  seq: number;
  id: string;
  receipt_id: string;
  amount: number;
  reason: string;
  status: Refund['status'];
  requested_at: Date;
  requested_by: string;
  requested_by_name: string;
  decided_at: Date | null;
  decided_by: string | null;
  decided_by_name: string | null;
  decision_reason: string | null;
  voucher_sha256: string | null;
  center: number | null;
  department: number | null;
}

const SELECT_REFUND = `
  SELECT f.seq, f.id, f.receipt_id, f.amount, f.reason, f.status, f.requested_at, f.requested_by, rk.name AS requested_by_name,
         f.decided_at, f.decided_by, dk.name AS decided_by_name, f.decision_reason, f.voucher_sha256,
         (SELECT -sum(e.center_share) FROM ledger_entries e WHERE e.refund_id = f.id)::bigint AS center,
         (SELECT -sum(e.department_share) FROM ledger_entries e WHERE e.refund_id = f.id)::bigint AS department
    FROM refunds f JOIN api_keys rk ON rk.id = f.requested_by LEFT JOIN api_keys dk ON dk.id = f.decided_by`;

export const refundView = (r: RefundRow): Refund => ({
  id: r.id,
  receiptId: r.receipt_id,
  amount: r.amount,
  reason: r.reason,
  status: r.status,
  requestedAt: r.requested_at.toISOString(),
  requestedBy: r.requested_by_name,
  decidedAt: r.decided_at?.toISOString() ?? null,
  decidedBy: r.decided_by_name,
  decisionReason: r.decision_reason,
  shares: r.status === 'approved' ? { center: r.center ?? 0, department: r.department ?? 0 } : null,
  voucherSha256: r.voucher_sha256,
});

export async function getRefund(db: Queryable, id: string, opts: { lock?: boolean } = {}): Promise<(RefundRow & { view: Refund }) | null> {
  if (opts.lock) await db.query('SELECT 1 FROM refunds WHERE id = $1::uuid FOR UPDATE', [id]);
  const { rows } = await db.query<RefundRow>(`${SELECT_REFUND} WHERE f.id = $1::uuid`, [id]);
  return rows[0] ? { ...rows[0], view: refundView(rows[0]) } : null;
}

export async function listRefunds(db: Queryable, f: { receiptId?: string; status?: string; afterSeq?: number; limit: number }): Promise<RefundRow[]> {
  const { rows } = await db.query<RefundRow>(
    `${SELECT_REFUND} WHERE ($1::uuid IS NULL OR f.receipt_id = $1::uuid) AND ($2::text IS NULL OR f.status = $2)
       AND ($3::bigint IS NULL OR f.seq > $3) ORDER BY f.seq LIMIT $4`,
    [f.receiptId ?? null, f.status ?? null, f.afterSeq ?? null, f.limit],
  );
  return rows;
}

/** Approved and pending refunds of a receipt: what counts against its total. */
export async function refundTotals(db: Queryable, receiptId: string): Promise<{ approved: number; pending: number }> {
  const { rows } = await db.query<{ approved: number; pending: number }>(
    `SELECT COALESCE(sum(amount) FILTER (WHERE status = 'approved'), 0)::bigint AS approved,
            COALESCE(sum(amount) FILTER (WHERE status = 'pending'), 0)::bigint AS pending
       FROM refunds WHERE receipt_id = $1`,
    [receiptId],
  );
  return rows[0]!;
}

export async function insertRefund(db: Queryable, r: { id: string; receiptId: string; amount: number; reason: string; requestedBy: string; requestedAt: Date }): Promise<void> {
  await db.query(`INSERT INTO refunds (id, receipt_id, amount, reason, status, requested_by, requested_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6)`, [
    r.id,
    r.receiptId,
    r.amount,
    r.reason,
    r.requestedBy,
    r.requestedAt,
  ]);
}

export async function decideRefund(
  db: Queryable,
  d: { id: string; status: 'approved' | 'rejected'; decidedBy: string; decidedAt: Date; reason: string | null; voucher?: Buffer; voucherSha256?: string },
): Promise<void> {
  await db.query(
    `UPDATE refunds SET status = $2, decided_by = $3, decided_at = $4, decision_reason = $5, voucher_xml = $6, voucher_sha256 = $7
      WHERE id = $1`,
    [d.id, d.status, d.decidedBy, d.decidedAt, d.reason, d.voucher ?? null, d.voucherSha256 ?? null],
  );
}

export async function getVoucherXml(db: Queryable, id: string): Promise<Buffer | null> {
  const { rows } = await db.query<{ voucher_xml: Buffer | null }>('SELECT voucher_xml FROM refunds WHERE id = $1::uuid', [id]);
  return rows[0]?.voucher_xml ?? null;
}
