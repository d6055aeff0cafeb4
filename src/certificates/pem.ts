import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as asn1js from 'asn1js';
import { structureOf, x509 } from './parse.ts';

/** A DER certificate (from a token, or base64 in KeyInfo) as PEM. */
export function derToPem(der: Buffer): string {
  return `-----BEGIN CERTIFICATE-----\n${
    der
      .toString('base64')
      .match(/.{1,64}/g)
      ?.join('\n') ?? ''
  }\n-----END CERTIFICATE-----\n`;
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
  const cert = x509(pem);
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

const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
};

/** An attribute value escaped as RFC 4514 requires. */
function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, '\\$1')
    .replace(/ $/, '\\ ')
    .replace(/\0/g, '\\00');
}

/**
 * The certificate's subject as an RFC 4514 string, most specific first
 * ("CN=…,O=…,C=VN"), for KeyInfo/X509SubjectName. Read from the ASN.1, so the
 * signer and the verifier write the same string for the same certificate.
 */
export function x509SubjectName(pem: string): string {
  const parsed = structureOf(x509(pem));
  return parsed.subject.typesAndValues
    .map((tv) => {
      const block = (tv.value as asn1js.BaseStringBlock).valueBlock as { value?: unknown };
      const value = typeof block.value === 'string' ? block.value : `#${Buffer.from(tv.value.toBER(false)).toString('hex')}`;
      return `${ATTRIBUTE_NAMES[tv.type] ?? tv.type}=${value.startsWith('#') && typeof block.value !== 'string' ? value : escapeDnValue(value)}`;
    })
    .reverse()
    .join(',');
}
