import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.ts';
import { readCertificates, splitPemChain } from '../certificates/pem.ts';
import { issuersOf } from '../certificates/chain.ts';
import { isDevelopmentCertificate } from '../certificates/development.ts';
import { devPaths, ensureDevSigner, pinSigner, trustDevCa } from './dev-certificates.ts';
import { FileSigner } from './file-signer.ts';
import { Pkcs11Signer } from './pkcs11-signer.ts';
import { SignerPool } from './pool.ts';
import type { Signer } from './signer.ts';

/** The tokens PKCS11_TOKEN_LABEL names, separated by commas. */
export const tokenLabels = (config: Pick<Config, 'PKCS11_TOKEN_LABEL'>) =>
  (config.PKCS11_TOKEN_LABEL ?? '')
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);

/** Where a PIN the token refused is remembered (see Pkcs11Options.refusedPinFile). */
export function refusedPinFile(config: Config): string {
  return path.join(config.DATA_DIR, 'pkcs11-pin-refused.json');
}

/** The token's PIN: PKCS11_PIN_FILE's first line, or PKCS11_PIN. */
export function configuredPin(config: Config): string | undefined {
  return config.PKCS11_PIN_FILE ? readFileSync(config.PKCS11_PIN_FILE, 'utf8').trim() : config.PKCS11_PIN;
}

/**
 * A development signer (the installation's file key, or a token certificate
 * from its development CA) is pinned in the default trust directory, beside
 * its CA: what this installation signs verifies here, and nowhere else. A
 * trust directory the operator chose is never written to.
 */
async function pinDevelopmentSigner(config: Config, leaf: string): Promise<void> {
  if (config.trustDirIsDefault && isDevelopmentCertificate(leaf)) await pinSigner(config.TRUST_DIR, leaf);
}

/**
 * The configured signer. With no token and no key configured it is this
 * installation's development signer under DATA_DIR/dev-pki (created on first
 * use), whose certificate says it is not for production; its CA and the
 * signer's certificate go into the default trust directory.
 */
export async function openSigner(config: Config): Promise<Signer> {
  const anchors = await readCertificates(config.TRUST_DIR);
  if (config.SIGNER === 'pkcs11') {
    const members: Array<{ signer: Signer; name: string }> = [];
    try {
      for (const tokenLabel of tokenLabels(config)) {
        for (let session = 1; session <= config.PKCS11_SESSIONS; session++) {
          const signer = await Pkcs11Signer.open({
            module: config.PKCS11_MODULE!,
            tokenLabel,
            keyLabel: config.PKCS11_KEY_LABEL!,
            pin: config.PKCS11_PIN,
            pinFile: config.PKCS11_PIN_FILE,
            refusedPinFile: refusedPinFile(config),
          });
          members.push({ signer, name: `${tokenLabel}#${session}` });
          await pinDevelopmentSigner(config, signer.certificateChain[0]!);
          signer.withChain(issuersOf(signer.certificateChain[0]!, anchors));
        }
      }
    } catch (err) {
      await Promise.all(members.map((m) => m.signer.close()));
      throw err;
    }
    return new SignerPool(members);
  }
  let keyFile = config.SIGNING_KEY_FILE;
  let certFile = config.SIGNING_CERT_FILE;
  if (!keyFile || !certFile) {
    const dev = await ensureDevSigner(devPaths(config.DATA_DIR));
    if (config.trustDirIsDefault) await trustDevCa(config.TRUST_DIR, dev.caFile);
    keyFile = dev.keyFile;
    certFile = dev.certFile;
    anchors.push(...splitPemChain(await readFile(dev.caFile, 'utf8')));
  }
  const leaf = splitPemChain(await readFile(certFile, 'utf8'))[0];
  if (!leaf) throw new Error(`${certFile} holds no PEM certificate`);
  await pinDevelopmentSigner(config, leaf);
  return FileSigner.open(keyFile, certFile, issuersOf(leaf, anchors));
}

/**
 * Readies the key the configuration now names (PKCS11_KEY_LABEL, re-read on
 * SIGHUP) on the running token signer: its certificate's chain from the trust
 * store, a probe signature checked. The caller checks the chain, then commits.
 * Another module, token or kind of signer needs a restart.
 */
export async function prepareKeySwitch(config: Config, signer: Signer): Promise<{ keyLabel: string; chain: readonly string[]; chains: Array<readonly string[]>; commit(): void } | null> {
  const tokens = signer instanceof SignerPool ? signer.signers : [signer];
  if (!tokens.every((t) => t instanceof Pkcs11Signer) || config.SIGNER !== 'pkcs11') throw new Error('only the token signer switches keys while running; restart to change a file signer');
  const current = tokens as Pkcs11Signer[];
  const labels = tokenLabels(config);
  if (current.some((t) => config.PKCS11_MODULE !== t.module || !labels.includes(t.tokenLabel)) || labels.some((l) => !current.some((t) => t.tokenLabel === l))) {
    throw new Error('another PKCS#11 module or token needs a restart; SIGHUP switches keys on the same tokens');
  }
  const keyLabel = config.PKCS11_KEY_LABEL!;
  if (current.every((t) => t.keyLabel === keyLabel)) return null;
  const trust = await readCertificates(config.TRUST_DIR);
  // Every token readies its key before any switches: all of them, or none.
  const keys = await Promise.all(
    current.map(async (token) => {
      const key = await token.prepareKey(keyLabel);
      key.chain = [key.chain[0]!, ...issuersOf(key.chain[0]!, trust)];
      await pinDevelopmentSigner(config, key.chain[0]!);
      return key;
    }),
  );
  return {
    keyLabel,
    chain: keys[0]!.chain,
    chains: keys.map((k) => k.chain),
    commit: () => {
      for (const [i, token] of current.entries()) token.useKey(keys[i]!);
    },
  };
}
