import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { buildApp } from '../src/app.ts';
import { createApiKey } from '../src/auth/api-keys.ts';
import { loadConfig } from '../src/config/config.ts';
import { seedDemo } from '../src/reference/demo.ts';
import { openSigner } from '../src/signing/open.ts';
import { initSoftHsmToken } from '../scripts/softhsm.ts';
import { freshDatabase, type Backend } from '../test/helpers/db.ts';

export interface IssueBenchResult {
  signRate: number;
  issueRate: number;
  ratio: number;
  p50: number;
  p99: number;
  issued: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * On one SoftHSM2 token: the bare C_Sign rate (the ceiling: every receipt
 * needs one signature, and the token's session signs one at a time), then
 * complete issues through HTTP (validated, numbered, signed, stored,
 * committed) from `clients` concurrent clients, spread over the demo's four
 * departments (four series).
 */
export async function benchIssue(opts: { backend: Backend; clients: number; signs: number; issues: number }): Promise<IssueBenchResult> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-'));
  const token = await initSoftHsmToken({ dir, tokenLabel: 'bench', dataDir: dir });
  const config = loadConfig({
    DATA_DIR: dir,
    SIGNER: 'pkcs11',
    PKCS11_MODULE: token.module,
    PKCS11_TOKEN_LABEL: token.tokenLabel,
    PKCS11_KEY_LABEL: token.keyLabel,
    PKCS11_PIN: token.pin,
    LOG_LEVEL: 'silent',
  });
  const signer = await openSigner(config);
  const database = await freshDatabase(opts.backend);
  try {
    // A SignedInfo is ~900 bytes; the token hashes and signs it.
    const signedInfo = Buffer.alloc(900, 'x');
    for (let i = 0; i < 20; i++) await signer.sign(signedInfo); // warm-up
    const signStart = performance.now();
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        for (let i = 0; i < opts.signs / opts.clients; i++) await signer.sign(signedInfo);
      }),
    );
    const signRate = opts.signs / ((performance.now() - signStart) / 1000);

    await seedDemo(database.db);
    const { secret } = await database.db.transaction((tx) => createApiKey(tx, { name: 'bench', role: 'cashier', counter: 'B01' }, { keyId: null, name: 'bench' }));
    const app = await buildApp({ config, db: database.db, signer });
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    const departments = [
      { department: 'STP', items: [{ feeCode: 'STP-LLTP' }] },
      { department: 'SXD', items: [{ feeCode: 'SXD-TDTK' }, { feeCode: 'SXD-GPXD' }] },
      { department: 'SNNMT', items: [{ feeCode: 'SNNMT-TDHS' }] },
      { department: 'SCT', items: [{ feeCode: 'SCT-GPKD', quantity: 2 }] },
    ];
    let next = 0;
    const latencies: number[] = [];
    const issueOne = async () => {
      const n = next++;
      const body = { ...departments[n % departments.length]!, payer: { name: `Người nộp ${n}` }, paymentMethod: 'cash' };
      const t0 = performance.now();
      const res = await request(`${address}/v1/receipts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'idempotency-key': `bench-${n}` },
        body: JSON.stringify(body),
      });
      await res.body.text();
      if (res.statusCode !== 201) throw new Error(`issue failed with ${res.statusCode}`);
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await issueOne(); // warm-up
    const start = performance.now();
    await Promise.all(
      Array.from({ length: opts.clients }, async () => {
        while (next < opts.issues + 20) latencies.push(await issueOne());
      }),
    );
    const issueRate = latencies.length / ((performance.now() - start) / 1000);
    await app.close();
    latencies.sort((a, b) => a - b);
    return { signRate, issueRate, ratio: issueRate / signRate, p50: percentile(latencies, 50), p99: percentile(latencies, 99), issued: latencies.length };
  } finally {
    await signer.close();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}
