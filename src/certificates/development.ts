import { x509 } from './parse.ts';

/** What every development certificate says in its subject: no production start accepts it. */
export const DEVELOPMENT_MARK = 'DEVELOPMENT ONLY - NOT FOR PRODUCTION';

/** Whether a certificate is one of the development certificates (its subject carries the mark). */
export function isDevelopmentCertificate(pem: string): boolean {
  return x509(pem).subject.includes(DEVELOPMENT_MARK);
}
