// Initialises a SoftHSM2 token for trying the PKCS#11 signer by hand:
//   npm run token:init [-- <dir>]        (default dir: $DATA_DIR/softhsm)
// The token's certificate is issued by this installation's development CA
// (created under $DATA_DIR/dev-pki when missing, and trusted in
// $DATA_DIR/trust); then export the printed variables and `npm start`.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../src/config/config.ts';
import { devPaths, trustDevCa } from '../src/signing/dev-certificates.ts';
import { initSoftHsmToken } from './softhsm.ts';

const config = loadConfig({ DATA_DIR: process.env.DATA_DIR, TRUST_DIR: process.env.TRUST_DIR });
const dir = process.argv[2] ?? path.join(config.DATA_DIR, 'softhsm');
await rm(dir, { recursive: true, force: true });
const token = await initSoftHsmToken({ dir, dataDir: config.DATA_DIR });
if (config.trustDirIsDefault) await trustDevCa(config.TRUST_DIR, devPaths(config.DATA_DIR).caCert);
console.log(`# SoftHSM2 token "${token.tokenLabel}" created in ${dir} with key "${token.keyLabel}"`);
console.log(
  `# its certificate is issued by the development CA in ${devPaths(config.DATA_DIR).caCert} (trusted in ${config.TRUST_DIR}; the first start with it pins the certificate in ${config.TRUST_DIR}/signers)`,
);
console.log(`export SOFTHSM2_CONF=${token.conf}`);
console.log('export SIGNER=pkcs11');
console.log(`export PKCS11_MODULE=${token.module}`);
console.log(`export PKCS11_TOKEN_LABEL=${token.tokenLabel}`);
console.log(`export PKCS11_KEY_LABEL=${token.keyLabel}`);
console.log(`export PKCS11_PIN=${token.pin}`);
