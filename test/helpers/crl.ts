import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const REASON_CODE_OID = '2.5.29.21';
const reasonCodes = { unspecified: 0, keyCompromise: 1, superseded: 4, cessationOfOperation: 5 } as const;

/**
 * A CRL signed by a CA, as a CA publishes it (RFC 5280 §5), in PEM: for tests
 * of revocation. The service never issues CRLs; it reads them.
 */
export async function issueCrl(opts: {
  caCertPem: string;
  caKeyPem: string;
  revoked: Array<{ serialNumber: string; at: Date; reason?: keyof typeof reasonCodes }>;
  thisUpdate?: Date;
  nextUpdate?: Date;
}): Promise<string> {
  const caCert = pkijs.Certificate.fromBER(new Uint8Array(new X509Certificate(opts.caCertPem).raw));
  const keyDer = createPrivateKey(opts.caKeyPem).export({ type: 'pkcs8', format: 'der' });
  const key = await webcrypto.subtle.importKey('pkcs8', keyDer, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
  const thisUpdate = opts.thisUpdate ?? new Date(Date.now() - 60_000);
  const crl = new pkijs.CertificateRevocationList({
    version: 1,
    issuer: caCert.subject,
    thisUpdate: new pkijs.Time({ type: 0, value: thisUpdate }),
    nextUpdate: new pkijs.Time({ type: 0, value: opts.nextUpdate ?? new Date(thisUpdate.getTime() + 7 * 86_400_000) }),
    revokedCertificates: opts.revoked.map(
      (r) =>
        new pkijs.RevokedCertificate({
          userCertificate: new asn1js.Integer({ valueHex: new Uint8Array(Buffer.from(r.serialNumber.length % 2 ? `0${r.serialNumber}` : r.serialNumber, 'hex')) }),
          revocationDate: new pkijs.Time({ type: 0, value: r.at }),
          ...(r.reason
            ? {
                crlEntryExtensions: new pkijs.Extensions({
                  extensions: [
                    new pkijs.Extension({
                      extnID: REASON_CODE_OID,
                      extnValue: new asn1js.Enumerated({ value: reasonCodes[r.reason] }).toBER(false),
                    }),
                  ],
                }),
              }
            : {}),
        }),
    ),
  });
  await crl.sign(key as unknown as CryptoKey, 'SHA-256');
  const der = Buffer.from(crl.toSchema(true).toBER(false));
  return `-----BEGIN X509 CRL-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)!
    .join('\n')}\n-----END X509 CRL-----\n`;
}
