import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';

/**
 * The development CA and signer under certs/. They are created on first use
 * when missing, and every name in them says they are not for production.
 */
export interface DevPaths {
  caCert: string;
  caKey: string;
  signerCert: string;
  signerKey: string;
  trustDir: string;
}

export function devPaths(certsDir = 'certs'): DevPaths {
  return {
    caCert: path.join(certsDir, 'dev-ca.pem'),
    caKey: path.join(certsDir, 'dev-ca.key.pem'),
    signerCert: path.join(certsDir, 'dev-signer.pem'),
    signerKey: path.join(certsDir, 'dev-signer.key.pem'),
    trustDir: path.join(certsDir, 'trust'),
  };
}

const exists = (p: string) => access(p).then(() => true, () => false);

function subject(cn: string): forge.pki.CertificateField[] {
  return [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', value: 'DEVELOPMENT ONLY - NOT FOR PRODUCTION' },
    { name: 'commonName', value: cn },
  ];
}

// Node's key generation is native and fast; forge only builds the certificates.
export function newRsaKeys(): { privatePem: string; privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.PublicKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return {
    privatePem,
    privateKey: forge.pki.privateKeyFromPem(privatePem) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

/** Issues a certificate for `publicKey`, signed by `ca`, or self-signed with `selfKey`. */
export function issueCertificate(opts: {
  publicKey: forge.pki.PublicKey;
  commonName: string;
  ca?: { cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey };
  selfKey?: forge.pki.rsa.PrivateKey;
  isCa?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  subjectFields?: forge.pki.CertificateField[];
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.publicKey;
  // Positive serial: a leading zero byte keeps the DER integer non-negative.
  cert.serialNumber = `00${randomBytes(16).toString('hex')}`;
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + (opts.isCa ? 10 : 3) * 365 * 24 * 3600 * 1000);
  const fields = opts.subjectFields ?? subject(opts.commonName);
  cert.setSubject(fields);
  cert.setIssuer(opts.ca ? opts.ca.cert.subject.attributes : fields);
  cert.setExtensions([
    { name: 'basicConstraints', cA: Boolean(opts.isCa), critical: true },
    opts.isCa
      ? { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true }
      : { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    { name: 'subjectKeyIdentifier' },
    ...(opts.ca ? [{ name: 'authorityKeyIdentifier', keyIdentifier: opts.ca.cert.generateSubjectKeyIdentifier().getBytes() }] : []),
  ]);
  const signingKey = opts.ca?.key ?? opts.selfKey;
  if (!signingKey) throw new Error('a certificate needs a CA or its own key to be signed with');
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

/** Loads the development CA, creating it (and the trust anchor copy) when missing. */
export async function ensureDevCa(paths: DevPaths): Promise<{ cert: forge.pki.Certificate; key: forge.pki.rsa.PrivateKey }> {
  if (!(await exists(paths.caCert)) || !(await exists(paths.caKey))) {
    await mkdir(path.dirname(paths.caCert), { recursive: true });
    const keys = newRsaKeys();
    const ca = issueCertificate({
      publicKey: keys.publicKey,
      selfKey: keys.privateKey,
      commonName: 'Receipts Development CA',
      isCa: true,
    });
    await writeFile(paths.caKey, keys.privatePem, { mode: 0o600 });
    await writeFile(paths.caCert, forge.pki.certificateToPem(ca));
  }
  const caPem = await readFile(paths.caCert, 'utf8');
  const trustCopy = path.join(paths.trustDir, 'dev-ca.pem');
  if (!(await exists(trustCopy))) {
    await mkdir(paths.trustDir, { recursive: true });
    await writeFile(trustCopy, caPem);
  }
  return { cert: forge.pki.certificateFromPem(caPem), key: forge.pki.privateKeyFromPem(await readFile(paths.caKey, "utf8")) as forge.pki.rsa.PrivateKey };
}

/** Ensures the development signer key and certificate exist; returns their paths. */
export async function ensureDevSigner(paths: DevPaths): Promise<{ keyFile: string; certFile: string; caFile: string }> {
  if (!(await exists(paths.signerCert)) || !(await exists(paths.signerKey))) {
    const ca = await ensureDevCa(paths);
    const keys = newRsaKeys();
    const cert = issueCertificate({ publicKey: keys.publicKey, commonName: 'Receipts Development Signer', ca });
    await writeFile(paths.signerKey, keys.privatePem, { mode: 0o600 });
    await writeFile(paths.signerCert, forge.pki.certificateToPem(cert));
  } else {
    await ensureDevCa(paths);
  }
  return { keyFile: paths.signerKey, certFile: paths.signerCert, caFile: paths.caCert };
}
