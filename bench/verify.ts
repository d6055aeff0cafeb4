import { X509Certificate } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { request } from 'undici';
import { SignedXml } from 'xml-crypto';
import { vietnamDate } from '../src/time/vietnam.ts';
import { freshDatabase } from '../test/helpers/db.ts';
import { load, spread, startCompiledServer } from './server.ts';

/**
 * Verification against the compiled server (its own process), the load from
 * this one. Baseline: xml-crypto's checkSignature alone on the same
 * documents, one thread, in this process — the least a verifier must do.
 * Subjects: POST /v1/verify of one document at a time (every check: size,
 * schema, structure, algorithms, chain, digests, signature, validity, key
 * usage, record match), and POST /v1/audit/verify-period over all of them
 * (the service's worker threads, every stored document and the ledger).
 * Rounds interleave baseline and subjects.
 */
export interface VerifyFigures {
  documents: number;
  rounds: Array<{ checkPerSecond: number; singlePerSecond: number; periodPerSecond: number; load: number }>;
}

function checkSignature(xml: string): boolean {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  const signature = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!;
  const cert = doc.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'X509Certificate')[0]!.textContent!;
  const pem = new X509Certificate(Buffer.from(cert.replace(/\s+/g, ''), 'base64')).toString();
  const sig = new SignedXml({ publicCert: pem, getCertFromKeyInfo: () => null });
  sig.loadSignature(signature as unknown as Node);
  return sig.checkSignature(xml);
}

export async function benchVerify(opts: { documents: number; rounds: number; singles: number }): Promise<VerifyFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), 'receipts-bench-verify-'));
  await chmod(dir, 0o711);
  const database = await freshDatabase('postgres');
  const server = await startCompiledServer({ DATA_DIR: dir, DATABASE_URL: database.url! });
  try {
    const cashier = server.key('cashier');
    const auditor = server.key('auditor');
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, c) => {
        for (let n = c; n < opts.documents; n += 8) {
          const res = await request(`${server.url}/v1/receipts`, {
            method: 'POST',
            headers: { authorization: `Bearer ${cashier}`, 'content-type': 'application/json', 'idempotency-key': `bench-verify-${n}` },
            body: JSON.stringify({
              department: ['STP', 'SXD', 'SNNMT', 'SCT'][n % 4],
              items: [{ name: 'Phí', kind: 'fee', amount: 10_000 + n }],
              payer: { name: `Người nộp ${n}` },
              paymentMethod: 'cash',
            }),
          });
          const body = (await res.body.json()) as { id: string };
          if (res.statusCode !== 201) throw new Error(`issue failed: ${res.statusCode} ${JSON.stringify(body)}`);
          ids.push(body.id);
        }
      }),
    );
    const xmls: string[] = [];
    for (const id of ids) xmls.push(await (await request(`${server.url}/v1/receipts/${id}/xml`, { headers: { authorization: `Bearer ${auditor}` } })).body.text());
    const today = vietnamDate(new Date());
    const figures: VerifyFigures = { documents: xmls.length, rounds: [] };
    for (let round = 0; round < opts.rounds; round++) {
      let t0 = performance.now();
      for (const xml of xmls) if (!checkSignature(xml)) throw new Error('checkSignature refused a genuine receipt');
      const checkPerSecond = xmls.length / ((performance.now() - t0) / 1000);
      t0 = performance.now();
      for (const xml of xmls.slice(0, opts.singles)) {
        const res = await request(`${server.url}/v1/verify`, { method: 'POST', headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/xml' }, body: xml });
        const verdict = (await res.body.json()) as { valid: boolean };
        if (!verdict.valid) throw new Error('the service refused a genuine receipt');
      }
      const singlePerSecond = opts.singles / ((performance.now() - t0) / 1000);
      t0 = performance.now();
      const res = await request(`${server.url}/v1/audit/verify-period`, {
        method: 'POST',
        headers: { authorization: `Bearer ${auditor}`, 'content-type': 'application/json' },
        body: JSON.stringify({ from: today, to: today }),
      });
      const period = (await res.body.json()) as { valid: number; invalid: number };
      if (period.invalid !== 0 || period.valid < xmls.length) throw new Error(`the period check found ${period.invalid} invalid of ${period.valid + period.invalid}`);
      const periodPerSecond = period.valid / ((performance.now() - t0) / 1000);
      figures.rounds.push({ checkPerSecond, singlePerSecond, periodPerSecond, load: load() });
    }
    return figures;
  } finally {
    await server.stop();
    await database.close();
    await rm(dir, { recursive: true, force: true });
  }
}

export function printVerify(f: VerifyFigures): void {
  const r = f.rounds;
  console.log(`Verification of ${f.documents} receipts, ${r.length} rounds (load ${Math.min(...r.map((x) => x.load)).toFixed(2)}–${Math.max(...r.map((x) => x.load)).toFixed(2)})\n`);
  console.log('what                                   | documents/s median (min–max) | × checkSignature, median (min–max)');
  console.log('---------------------------------------|------------------------------|-----------------------------------');
  console.log(`xml-crypto checkSignature, one thread  | ${spread(r.map((x) => x.checkPerSecond)).padStart(28)} | 1.00`);
  console.log(
    `POST /v1/verify, one at a time         | ${spread(r.map((x) => x.singlePerSecond)).padStart(28)} | ${spread(
      r.map((x) => x.singlePerSecond / x.checkPerSecond),
      2,
    )}`,
  );
  console.log(
    `POST /v1/audit/verify-period           | ${spread(r.map((x) => x.periodPerSecond)).padStart(28)} | ${spread(
      r.map((x) => x.periodPerSecond / x.checkPerSecond),
      2,
    )}`,
  );
}
