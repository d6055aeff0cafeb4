// A verification thread: reads the trust store (again when a file of it changed) and verifies one document
// offline (the record match, which needs the database, runs in the main
// thread afterwards). Runs under piscina, one document at a time per thread.
import type { DocumentType } from './documents.ts';
import { currentTrustStore } from './trust.ts';
import { signedFieldsOf } from './signed-fields.ts';
import { verifyDocument, type VerificationResult } from './verifier.ts';

export interface VerifyTask {
  xml: Uint8Array;
  trustDir: string;
  production: boolean;
  now: string;
  expect?: DocumentType;
  /** Read the signed fields the period audit compares (here, off the main thread) instead of returning the canonical data. */
  signedFields?: boolean;
}

export default async function verifyTask(task: VerifyTask): Promise<VerificationResult> {
  const trust = await currentTrustStore(task.trustDir, { production: task.production });
  const result = await verifyDocument(Buffer.from(task.xml), { trust, now: () => new Date(task.now), expect: task.expect, keepSignedData: task.signedFields });
  if (!task.signedFields || result.signedData === undefined || !result.document) return result;
  const { signedData, ...rest } = result;
  return { ...rest, signedFields: signedFieldsOf(result.document.type, signedData) };
}
