// A verification thread: reads the trust store (again when a file of it changed) and verifies one document
// offline (the record match, which needs the database, runs in the main
// thread afterwards). Runs under piscina, one document at a time per thread.
import type { DocumentType } from './documents.ts';
import { currentTrustStore } from './trust.ts';
import { verifyDocument, type VerificationResult } from './verifier.ts';

export interface VerifyTask {
  xml: Uint8Array;
  trustDir: string;
  production: boolean;
  now: string;
  expect?: DocumentType;
  keepSignedData?: boolean;
}

export default async function verifyTask(task: VerifyTask): Promise<VerificationResult> {
  const trust = await currentTrustStore(task.trustDir, { production: task.production });
  return verifyDocument(Buffer.from(task.xml), { trust, now: () => new Date(task.now), expect: task.expect, keepSignedData: task.keepSignedData });
}
