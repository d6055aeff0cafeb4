import { X509Certificate } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** A DER certificate (from a token, or base64 in KeyInfo) as PEM. */
export function derToPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
}

/** Splits a PEM bundle into its certificates, in file order. */
export function splitPemChain(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)?.map((c) => `${c}\n`) ?? [];
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprintSha256: string;
}

export function describeCertificate(pem: string): CertificateSummary {
  const cert = new X509Certificate(pem);
  return {
    subject: cert.subject.split('\n').join(', '),
    issuer: cert.issuer.split('\n').join(', '),
    serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom).toISOString(),
    validTo: new Date(cert.validTo).toISOString(),
    fingerprintSha256: cert.fingerprint256,
  };
}

/** Every certificate in the PEM/CRT files of a directory (not its subdirectories), in file-name order. */
export async function readCertificates(dir: string): Promise<string[]> {
  const files = (await readdir(dir).catch(() => [] as string[])).sort();
  const pems: string[] = [];
  for (const name of files.filter((f) => /\.(pem|crt)$/i.test(f))) pems.push(...splitPemChain(await readFile(path.join(dir, name), 'utf8')));
  return pems;
}
