import { randomBytes } from 'node:crypto';
import forge from 'node-forge';
import pkcs11js from 'pkcs11js';
import { findObjects, findSlot, loadModule, loginSafely } from './pkcs11-signer.ts';

/**
 * The token's life at a center: a key generated on the token (it never leaves
 * it), a certificate request signed by that key for the CA, the issued
 * certificate stored beside the key. A renewal is a new key under a new label,
 * switched to while the service runs (SIGHUP), so issuing never stops.
 */

export interface TokenAccess {
  module: string;
  tokenLabel: string;
  pin: string;
  /** As for the signer: a PIN the token refused is remembered, and not tried again. */
  refusedPinFile?: string;
}

type Handle = Buffer;

/** Runs `work` in a logged-in read-write session on the token, then logs out and closes. */
export async function withTokenSession<T>(access: TokenAccess, work: (lib: pkcs11js.PKCS11, session: Handle) => T): Promise<T> {
  const lib = loadModule(access.module);
  try {
    const slot = findSlot(lib, access.tokenLabel);
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    try {
      await loginSafely(lib, slot, session, access);
      try {
        return work(lib, session);
      } finally {
        lib.C_Logout(session);
      }
    } finally {
      lib.C_CloseSession(session);
    }
  } finally {
    lib.C_Finalize();
  }
}

function one(lib: pkcs11js.PKCS11, session: Handle, cls: number, label: string): Handle | undefined {
  return findObjects(lib, session, [
    { type: pkcs11js.CKA_CLASS, value: cls },
    { type: pkcs11js.CKA_LABEL, value: label },
  ])[0];
}

/** The public half of the key pair labelled `label`, as node-forge reads it. */
export function tokenPublicKey(lib: pkcs11js.PKCS11, session: Handle, label: string): forge.pki.rsa.PublicKey {
  const handle = one(lib, session, pkcs11js.CKO_PUBLIC_KEY, label);
  if (!handle) throw new Error(`the token holds no public key labelled "${label}"`);
  const [modulus, exponent] = lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_MODULUS }, { type: pkcs11js.CKA_PUBLIC_EXPONENT }]);
  return forge.pki.setRsaPublicKey(new forge.jsbn.BigInteger((modulus!.value as Buffer).toString('hex'), 16), new forge.jsbn.BigInteger((exponent!.value as Buffer).toString('hex'), 16));
}

/**
 * Generates an RSA key pair on the token under `label`: private, sensitive,
 * never extractable. A label already used is refused (nothing is replaced).
 */
export function generateKey(lib: pkcs11js.PKCS11, session: Handle, label: string, bits = 2048): forge.pki.rsa.PublicKey {
  if (one(lib, session, pkcs11js.CKO_PRIVATE_KEY, label) || one(lib, session, pkcs11js.CKO_PUBLIC_KEY, label)) {
    throw new Error(`the token already holds a key labelled "${label}": choose a new label (a renewal is a new key)`);
  }
  const id = randomBytes(8);
  lib.C_GenerateKeyPair(
    session,
    { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_VERIFY, value: true },
      { type: pkcs11js.CKA_MODULUS_BITS, value: bits },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
    ],
    [
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: label },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_PRIVATE, value: true },
      { type: pkcs11js.CKA_SENSITIVE, value: true },
      { type: pkcs11js.CKA_EXTRACTABLE, value: false },
      { type: pkcs11js.CKA_SIGN, value: true },
    ],
  );
  return tokenPublicKey(lib, session, label);
}

/** "C=VN,O=…,CN=…" into certificate fields (values as UTF-8: Vietnamese names). */
export function parseSubject(text: string): forge.pki.CertificateField[] {
  const fields = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const eq = part.indexOf('=');
      if (eq <= 0) throw new Error(`subject part "${part}" is not NAME=value`);
      const name = part.slice(0, eq).trim();
      const value = part.slice(eq + 1).trim();
      const known: Record<string, string> = { C: 'countryName', ST: 'stateOrProvinceName', L: 'localityName', O: 'organizationName', OU: 'organizationalUnitName', CN: 'commonName' };
      if (!known[name]) throw new Error(`subject attribute "${name}" is not one of ${Object.keys(known).join(', ')}`);
      return { name: known[name], value, valueTagClass: (name === 'C' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class };
    });
  if (!fields.some((f) => f.name === 'commonName')) throw new Error('the subject needs a CN');
  return fields;
}

const UID_OID = '0.9.2342.19200300.100.1.1';
// DER of DigestInfo's header for SHA-256 (RFC 8017 §9.2 note 1): the digest follows.
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

/**
 * A PKCS#10 certificate request for the key labelled `label`, signed on the
 * token (SHA-256 with RSA): the subject the CA is asked to certify, with the
 * center's tax code as Vietnamese CAs write it (UID=MST:<code>).
 */
export function certificateRequest(lib: pkcs11js.PKCS11, session: Handle, label: string, subject: string, taxCode?: string): string {
  const privateKey = one(lib, session, pkcs11js.CKO_PRIVATE_KEY, label);
  if (!privateKey) throw new Error(`the token holds no private key labelled "${label}"`);
  const csr = forge.pki.createCertificationRequest();
  csr.publicKey = tokenPublicKey(lib, session, label);
  csr.setSubject([...parseSubject(subject), ...(taxCode ? [{ type: UID_OID, value: `MST:${taxCode}`, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }] : [])]);
  // forge hashes the request info and asks the "key" to sign the digest: the token does, raw PKCS#1 v1.5.
  const onToken = {
    sign(md: forge.md.MessageDigest): string {
      lib.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, privateKey);
      const digestInfo = Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]);
      return lib.C_Sign(session, digestInfo, Buffer.alloc(1024)).toString('binary');
    },
  };
  csr.sign(onToken as unknown as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  if (!csr.verify()) throw new Error('the token signed a request that does not verify with its public key');
  return forge.pki.certificationRequestToPem(csr);
}

/**
 * Stores the certificate the CA issued beside its key (same label and ID).
 * Refused when it certifies another key, or when the key already has one.
 */
export function installCertificate(lib: pkcs11js.PKCS11, session: Handle, label: string, certificatePem: string): forge.pki.Certificate {
  let cert: forge.pki.Certificate;
  try {
    cert = forge.pki.certificateFromPem(certificatePem);
  } catch (err) {
    throw new Error(`not a PEM X.509 certificate with an RSA key: ${(err as Error).message}`);
  }
  const key = tokenPublicKey(lib, session, label);
  const certKey = cert.publicKey as forge.pki.rsa.PublicKey;
  if (key.n.compareTo(certKey.n) !== 0 || key.e.compareTo(certKey.e) !== 0) {
    throw new Error(`the certificate (${cert.subject.getField('CN')?.value ?? 'no CN'}) certifies another key than "${label}"; nothing was stored`);
  }
  if (one(lib, session, pkcs11js.CKO_CERTIFICATE, label)) throw new Error(`the token already holds a certificate labelled "${label}"; nothing was stored`);
  const privateKey = one(lib, session, pkcs11js.CKO_PRIVATE_KEY, label);
  const [id] = privateKey ? lib.C_GetAttributeValue(session, privateKey, [{ type: pkcs11js.CKA_ID }]) : [undefined];
  const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
  const subjectDer = Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(cert.subject)).getBytes(), 'binary');
  lib.C_CreateObject(session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
    { type: pkcs11js.CKA_TOKEN, value: true },
    { type: pkcs11js.CKA_LABEL, value: label },
    ...(id ? [{ type: pkcs11js.CKA_ID, value: id.value as Buffer }] : []),
    { type: pkcs11js.CKA_SUBJECT, value: subjectDer },
    { type: pkcs11js.CKA_VALUE, value: der },
  ]);
  return cert;
}
