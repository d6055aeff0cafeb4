// Initialises a SoftHSM2 token for trying the PKCS#11 signer by hand:
//   npm run token:init [-- <dir>]        (default dir: data/softhsm)
// then export the printed variables and `npm start`.
import { rm } from 'node:fs/promises';
import { initSoftHsmToken } from './softhsm.ts';

const dir = process.argv[2] ?? 'data/softhsm';
await rm(dir, { recursive: true, force: true });
const token = await initSoftHsmToken({ dir });
console.log(`# SoftHSM2 token "${token.tokenLabel}" created in ${dir} with key "${token.keyLabel}"`);
console.log(`export SOFTHSM2_CONF=${token.conf}`);
console.log('export SIGNER=pkcs11');
console.log(`export PKCS11_MODULE=${token.module}`);
console.log(`export PKCS11_TOKEN_LABEL=${token.tokenLabel}`);
console.log(`export PKCS11_KEY_LABEL=${token.keyLabel}`);
console.log(`export PKCS11_PIN=${token.pin}`);
