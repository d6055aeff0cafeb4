import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { access, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { DEVELOPMENT_MARK } from '../certificates/development.ts';

/**
 * The development CA and signer of one installation. Nothing of it is in the
 * repository: the first start creates a CA and a signer under the data
 * directory, so no two installations share a key, and every certificate says
 * in its subject that it is not for production (DEVELOPMENT_MARK;
 * NODE_ENV=production refuses it, see production.ts).
 */

export interface DevPaths {
  dir: string;
  caCert: string;
  caKey: string;
  signerCert: string;
  signerKey: string;
}

/** Where an installation keeps its development PKI: `<DATA_DIR>/dev-pki`. */
export function devPaths(dataDir: string): DevPaths {
  const dir = path.join(dataDir, 'dev-pki');
  return {
    dir,
    caCert: path.join(dir, 'ca.pem'),
    caKey: path.join(dir, 'ca.key.pem'),
    signerCert: path.join(dir, 'signer.pem'),
    signerKey: path.join(dir, 'signer.key.pem'),
  };
}

/** The file name of the development CA in a trust directory. */
export const DEV_TRUST_FILE = 'development-ca.pem';

const exists = (p: string) =>
  access(p).then(
    () => true,
    () => false,
  );

function subject(cn: string): forge.pki.CertificateField[] {
  return [
    { name: 'countryName', value: 'VN' },
    { name: 'organizationName', value: DEVELOPMENT_MARK },
    { name: 'commonName', value: cn },
  ];
}

/** userId: where Vietnamese CAs put an organisation's tax code (MST:…). */
const UID_OID = '0.9.2342.19200300.100.1.1';

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

export type KeyUsageBits = Partial<Record<'digitalSignature' | 'nonRepudiation' | 'keyCertSign' | 'cRLSign' | 'keyEncipherment', boolean>>;

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
  /** Overrides the usual keyUsage (signer: digitalSignature + nonRepudiation; CA: keyCertSign + cRLSign); null omits it. */
  keyUsage?: KeyUsageBits | null;
  /** The organisation's tax code, as Vietnamese CAs write it in the subject: UID=MST:<code>. */
  taxCode?: string;
  /** A CA's pathLenConstraint. */
  pathLength?: number;
  /** extendedKeyUsage purposes (node-forge names: serverAuth, clientAuth, emailProtection…). */
  extKeyUsage?: Record<string, boolean>;
}): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = opts.publicKey;
  // A positive, minimally encoded DER integer: the first byte is 0x40–0x7f (never a
  // leading zero byte, which OpenSSL refuses as illegal padding, nor a sign bit).
  const serial = randomBytes(16);
  serial[0] = (serial[0]! & 0x3f) | 0x40;
  cert.serialNumber = serial.toString('hex');
  cert.validity.notBefore = opts.notBefore ?? new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = opts.notAfter ?? new Date(Date.now() + (opts.isCa ? 10 : 3) * 365 * 24 * 3600 * 1000);
  const fields = [
    ...(opts.subjectFields ?? subject(opts.commonName)),
    ...(opts.taxCode ? [{ type: UID_OID, value: `MST:${opts.taxCode}`, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }] : []),
  ];
  cert.setSubject(fields);
  cert.setIssuer(opts.ca ? opts.ca.cert.subject.attributes : fields);
  const usage = opts.keyUsage === undefined ? (opts.isCa ? { keyCertSign: true, cRLSign: true } : { digitalSignature: true, nonRepudiation: true }) : opts.keyUsage;
  cert.setExtensions([
    { name: 'basicConstraints', cA: Boolean(opts.isCa), critical: true, ...(opts.pathLength === undefined ? {} : { pathLenConstraint: opts.pathLength }) },
    ...(usage ? [{ name: 'keyUsage', ...usage, critical: true }] : []),
    ...(opts.extKeyUsage ? [{ name: 'extKeyUsage', ...opts.extKeyUsage }] : []),
    { name: 'subjectKeyIdentifier' },
    ...(opts.ca ? [{ name: 'authorityKeyIdentifier', keyIdentifier: opts.ca.cert.generateSubjectKeyIdentifier().getBytes() }] : []),
  ]);
  const signingKey = opts.ca?.key ?? opts.selfKey;
  if (!signingKey) throw new Error('a certificate needs a CA or its own key to be signed with');
  cert.sign(signingKey, forge.md.sha256.create());
  return cert;
}

export interface DevCa {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
  pem: string;
}

/** Loads the installation's development CA, creating it when missing (valid from `validFrom`, by default a day ago). */
export async function ensureDevCa(paths: DevPaths, opts: { validFrom?: Date } = {}): Promise<DevCa> {
  if (!(await exists(paths.caCert)) || !(await exists(paths.caKey))) {
    await mkdir(paths.dir, { recursive: true, mode: 0o700 });
    const keys = newRsaKeys();
    // The random suffix tells one installation's CA from another's at a glance.
    const ca = issueCertificate({
      publicKey: keys.publicKey,
      selfKey: keys.privateKey,
      commonName: `Receipts Development CA ${randomBytes(4).toString('hex')}`,
      isCa: true,
      notBefore: opts.validFrom,
    });
    await writeFile(paths.caKey, keys.privatePem, { mode: 0o600 });
    await writeFile(paths.caCert, forge.pki.certificateToPem(ca));
  }
  const pem = await readFile(paths.caCert, 'utf8');
  return { cert: forge.pki.certificateFromPem(pem), key: forge.pki.privateKeyFromPem(await readFile(paths.caKey, 'utf8')) as forge.pki.rsa.PrivateKey, pem };
}

/** Ensures the installation's development signer key and certificate exist; returns their paths. */
export async function ensureDevSigner(paths: DevPaths, opts: { validFrom?: Date } = {}): Promise<{ keyFile: string; certFile: string; caFile: string }> {
  const ca = await ensureDevCa(paths, opts);
  if (!(await exists(paths.signerCert)) || !(await exists(paths.signerKey))) {
    const keys = newRsaKeys();
    const cert = issueCertificate({ publicKey: keys.publicKey, commonName: 'Receipts Development Signer', ca, notBefore: opts.validFrom });
    await writeFile(paths.signerKey, keys.privatePem, { mode: 0o600 });
    await writeFile(paths.signerCert, forge.pki.certificateToPem(cert));
  }
  return { keyFile: paths.signerKey, certFile: paths.signerCert, caFile: paths.caCert };
}

/** Puts the installation's development CA into a trust directory (when it is not there yet). */
export async function trustDevCa(trustDir: string, caFile: string): Promise<void> {
  const target = path.join(trustDir, DEV_TRUST_FILE);
  if (await exists(target)) {
    if ((await readFile(target, 'utf8')) === (await readFile(caFile, 'utf8'))) return;
    throw new Error(`${target} holds another development CA than ${caFile}; remove it or restore the data directory it belongs to`);
  }
  await mkdir(trustDir, { recursive: true });
  await copyFile(caFile, target);
}

/**
 * Pins a signer certificate in a trust directory (signers/<fingerprint>.pem):
 * a verifier reading that directory then accepts documents it signs for any
 * issuer its certificate does not contradict (see verification/identity.ts).
 */
export async function pinSigner(trustDir: string, certPem: string): Promise<string> {
  const cert = new X509Certificate(certPem);
  const dir = path.join(trustDir, 'signers');
  const target = path.join(dir, `${cert.fingerprint256.replace(/:/g, '').slice(0, 24).toLowerCase()}.pem`);
  if (!(await exists(target))) {
    await mkdir(dir, { recursive: true });
    await writeFile(target, cert.toString());
  }
  return target;
}
