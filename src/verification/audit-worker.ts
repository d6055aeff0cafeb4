// A worker of the period audit: verifies documents offline (the main thread
// compares them with the ledger), so every core checks signatures at once.
import { parentPort, workerData } from 'node:worker_threads';
import { verifyDocument } from './verifier.ts';

const { trustAnchors } = workerData as { trustAnchors: string[] };

parentPort!.on('message', (job: { seq: number; xml: Uint8Array; now: string }) => {
  verifyDocument(Buffer.from(job.xml), { trustAnchors, now: () => new Date(job.now) }).then(
    (result) => parentPort!.postMessage({ seq: job.seq, result }),
    (err: unknown) => parentPort!.postMessage({ seq: job.seq, error: String(err) }),
  );
});
