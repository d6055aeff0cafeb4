import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { devPaths, ensureDevCa, issueCertificate } from '../src/signing/dev-certificates.ts';
import { generateKey, installCertificate, withTokenSession } from '../src/signing/token-admin.ts';

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

  const ca = await ensureDevCa(devPaths(opts.dataDir));
  // The steps a center takes with its USB token: a key made on the token, a certificate from the CA, stored beside it.
  const cert = await withTokenSession({ module: SOFTHSM_MODULE, tokenLabel, pin }, (lib, session) => {
    const publicKey = generateKey(lib, session, keyLabel);
    const issued = issueCertificate({ publicKey, commonName: `Receipts Development Token Signer (${tokenLabel})`, ca });
    installCertificate(lib, session, keyLabel, forge.pki.certificateToPem(issued));
    return issued;
  });
  return { conf, module: SOFTHSM_MODULE, tokenLabel, keyLabel, pin, certificatePem: forge.pki.certificateToPem(cert) };
}
