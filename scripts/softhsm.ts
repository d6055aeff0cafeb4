import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import pkcs11js from 'pkcs11js';
import { devPaths, ensureDevCa, issueCertificate } from '../src/signing/dev-certificates.ts';
import { findSlot, loadModule } from '../src/signing/pkcs11-signer.ts';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

export interface SoftHsmToken {
  /** Value for SOFTHSM2_CONF: the token lives in its own directory. */
  conf: string;
  module: string;
  tokenLabel: string;
  keyLabel: string;
  pin: string;
  certificatePem: string;
}

/**
 * Creates a SoftHSM2 token in `dir` with an RSA key generated on the token
 * (never extractable, as on a USB token) and a certificate for it issued by
 * the installation's development CA, stored on the token under the key's label.
 */
export async function initSoftHsmToken(opts: {
  dir: string;
  tokenLabel?: string;
  keyLabel?: string;
  pin?: string;
  soPin?: string;
  /** The installation whose development CA issues the token's certificate (DATA_DIR). */
  dataDir: string;
}): Promise<SoftHsmToken> {
  const tokenLabel = opts.tokenLabel ?? 'receipts-dev';
  const keyLabel = opts.keyLabel ?? 'center-signing';
  const pin = opts.pin ?? '123456';
  const dir = path.resolve(opts.dir);
  const conf = path.join(dir, 'softhsm2.conf');
  await mkdir(path.join(dir, 'tokens'), { recursive: true });
  await writeFile(conf, `directories.tokendir = ${path.join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--pin', pin, '--so-pin', opts.soPin ?? '12345678'], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'pipe',
  });

  const lib = loadModule(SOFTHSM_MODULE);
  try {
    const session = lib.C_OpenSession(findSlot(lib, tokenLabel), pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    lib.C_Login(session, pkcs11js.CKU_USER, pin);
    const id = Buffer.from('01', 'hex');
    const keys = lib.C_GenerateKeyPair(
      session,
      { mechanism: pkcs11js.CKM_RSA_PKCS_KEY_PAIR_GEN },
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: keyLabel },
        { type: pkcs11js.CKA_ID, value: id },
        { type: pkcs11js.CKA_VERIFY, value: true },
        { type: pkcs11js.CKA_MODULUS_BITS, value: 2048 },
        { type: pkcs11js.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      ],
      [
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_LABEL, value: keyLabel },
        { type: pkcs11js.CKA_ID, value: id },
        { type: pkcs11js.CKA_PRIVATE, value: true },
        { type: pkcs11js.CKA_SENSITIVE, value: true },
        { type: pkcs11js.CKA_EXTRACTABLE, value: false },
        { type: pkcs11js.CKA_SIGN, value: true },
      ],
    );
    const [modulus, exponent] = lib.C_GetAttributeValue(session, keys.publicKey, [
      { type: pkcs11js.CKA_MODULUS },
      { type: pkcs11js.CKA_PUBLIC_EXPONENT },
    ]);
    const publicKey = forge.pki.setRsaPublicKey(
      new forge.jsbn.BigInteger((modulus!.value as Buffer).toString('hex'), 16),
      new forge.jsbn.BigInteger((exponent!.value as Buffer).toString('hex'), 16),
    );
    const ca = await ensureDevCa(devPaths(opts.dataDir));
    const cert = issueCertificate({ publicKey, commonName: `Receipts Development Token Signer (${tokenLabel})`, ca });
    const der = Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
    const subjectDer = Buffer.from(forge.asn1.toDer(forge.pki.distinguishedNameToAsn1(cert.subject)).getBytes(), 'binary');
    lib.C_CreateObject(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
      { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
      { type: pkcs11js.CKA_TOKEN, value: true },
      { type: pkcs11js.CKA_LABEL, value: keyLabel },
      { type: pkcs11js.CKA_ID, value: id },
      { type: pkcs11js.CKA_SUBJECT, value: subjectDer },
      { type: pkcs11js.CKA_VALUE, value: der },
    ]);
    lib.C_Logout(session);
    lib.C_CloseSession(session);
    return { conf, module: SOFTHSM_MODULE, tokenLabel, keyLabel, pin, certificatePem: forge.pki.certificateToPem(cert) };
  } finally {
    lib.C_Finalize();
  }
}
