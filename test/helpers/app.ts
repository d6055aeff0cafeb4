import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { createApiKey } from '../../src/auth/api-keys.ts';
import type { Role } from '../../src/http/access.ts';
import { loadConfig } from '../../src/config/config.ts';
import { seedDemo } from '../../src/reference/demo.ts';
import type { Signer } from '../../src/signing/signer.ts';
import { freshDatabase, type Backend, type TestDatabase } from './db.ts';
import { devFileSigner, testPki } from './pki.ts';
import { VerificationPool } from '../../src/verification/pool.ts';

/** One set of verification threads per test process: starting them costs about a second. Idle, they keep nothing alive. */
let pool: VerificationPool | undefined;
export const sharedVerifier = () => (pool ??= new VerificationPool({ threads: 2 }));

export { devFileSigner };

export interface TestContext {
  app: FastifyInstance;
  database: TestDatabase;
  keys: Record<Role, string>;
  signer: Signer;
  /** Rebuilds the app on the same database (a restart of the service). */
  restart(): Promise<FastifyInstance>;
  close(): Promise<void>;
}

/** A seeded database, one key per role, and the app built on them. */
export async function testApp(backend: Backend, opts: { signer?: Signer; clock?: () => Date; env?: Record<string, string> } = {}): Promise<TestContext> {
  const database = await freshDatabase(backend);
  const clock = opts.clock ?? (() => new Date());
  await seedDemo(database.db, clock());
  const signer = opts.signer ?? (await devFileSigner());
  const keys = {} as Record<Role, string>;
  for (const role of ['admin', 'cashier', 'accountant', 'auditor'] as const) {
    keys[role] = (await database.db.transaction((tx) => createApiKey(tx, { name: `test ${role}`, role, counter: role === 'cashier' ? 'Q01' : undefined }, { keyId: null, name: 'test setup' }))).secret;
  }
  const pki = await testPki();
  const config = loadConfig({ DATA_DIR: pki.dataDir, ...opts.env });
  const ctx: TestContext = {
    app: await buildApp({ config, db: database.db, signer, clock, verifier: sharedVerifier() }),
    database,
    keys,
    signer,
    async restart() {
      await ctx.app.close();
      ctx.app = await buildApp({ config, db: database.db, signer, clock, verifier: sharedVerifier() });
      return ctx.app;
    },
    async close() {
      await ctx.app.close();
      await database.close();
    },
  };
  return ctx;
}

export const auth = (key: string) => ({ authorization: `Bearer ${key}` });

let idempotencyCounter = 0;
export const newIdempotencyKey = () => `test-${process.pid}-${Date.now()}-${++idempotencyCounter}`;

export const demoReceipt = {
  department: 'STP',
  payer: { name: 'Nguyễn Văn An', address: '12 Lê Lợi, Phường Trung tâm', idNumber: '001090012345' },
  items: [{ feeCode: 'STP-LLTP' }, { feeCode: 'STP-CCHN', quantity: 2 }],
  paymentMethod: 'cash',
  dossierCode: '000.00.12.H01-261125-0001',
};

/** POST /v1/receipts as the cashier. */
export function issue(ctx: TestContext, body: unknown = demoReceipt, idempotencyKey: string | null = newIdempotencyKey()) {
  return ctx.app.inject({
    method: 'POST',
    url: '/v1/receipts',
    headers: { ...auth(ctx.keys.cashier), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload: body as object,
  });
}

/** A refund request by the cashier. */
export function requestRefund(ctx: TestContext, receiptId: string, body: unknown, idempotencyKey: string | null = newIdempotencyKey()) {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/receipts/${receiptId}/refunds`,
    headers: { ...auth(ctx.keys.cashier), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
    payload: body as object,
  });
}

export function decideRefund(ctx: TestContext, refundId: string, decision: 'approve' | 'reject', key = ctx.keys.accountant, reason?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/refunds/${refundId}/${decision}`,
    headers: auth(key),
    ...(decision === 'reject' ? { payload: { reason: reason ?? 'Không đủ căn cứ hoàn trả' } } : {}),
  });
}

/** Σ center + Σ department and Σ collected − Σ refunded over the whole ledger. */
export async function ledgerTotals(ctx: TestContext) {
  const { rows } = await ctx.database.db.query<{ center: number; department: number; collected: number; refunded: number; entries: number }>(
    `SELECT COALESCE(sum(center_share), 0)::bigint AS center, COALESCE(sum(department_share), 0)::bigint AS department,
            COALESCE(sum(collected), 0)::bigint AS collected, COALESCE(sum(refunded), 0)::bigint AS refunded, count(*)::int AS entries
       FROM ledger_entries`,
  );
  return rows[0]!;
}

/** A correction asked for by a cashier (POST /v1/receipts/{id}/replacement or /error-notices). */
export function requestCorrection(ctx: TestContext, receiptId: string, kind: 'replacement' | 'error-notices', body: unknown, opts: { key?: string; idempotencyKey?: string | null } = {}) {
  const idem = opts.idempotencyKey === undefined ? newIdempotencyKey() : opts.idempotencyKey;
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/receipts/${receiptId}/${kind}`,
    headers: { ...auth(opts.key ?? ctx.keys.cashier), ...(idem ? { 'idempotency-key': idem } : {}) },
    payload: body as object,
  });
}

export function decideCorrection(ctx: TestContext, id: string, decision: 'approve' | 'reject', key = ctx.keys.accountant, reason?: string) {
  return ctx.app.inject({
    method: 'POST',
    url: `/v1/corrections/${id}/${decision}`,
    headers: auth(key),
    ...(decision === 'reject' ? { payload: { reason: reason ?? 'Không đủ căn cứ' } } : {}),
  });
}

/**
 * A correction asked for by the cashier and approved by the accountant; the
 * resulting replacement receipt or error notice (GET), or the first response
 * that was not a success.
 */
export async function correct(ctx: TestContext, receiptId: string, kind: 'replacement' | 'error-notices', body: unknown) {
  const asked = await requestCorrection(ctx, receiptId, kind, body);
  if (asked.statusCode !== 201) return asked;
  const approved = await decideCorrection(ctx, asked.json().id, 'approve');
  if (approved.statusCode !== 200) return approved;
  const result = approved.json().result as { receiptId?: string; errorNoticeId?: string };
  const url = result.receiptId ? `/v1/receipts/${result.receiptId}` : `/v1/error-notices/${result.errorNoticeId}`;
  return ctx.app.inject({ url, headers: auth(ctx.keys.auditor) });
}
