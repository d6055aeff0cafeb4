import pkcs11js from 'pkcs11js';
import type { Config } from '../config/config.ts';
import { derToPem, describeCertificate } from '../certificates/pem.ts';
import { configuredPin, refusedPinFile } from './open.ts';
import { findObjects, loadModule, loginSafely } from './pkcs11-signer.ts';

/** A readable report of what the module sees: slots, tokens, and (when the PIN is known) keys and certificates. */
export async function describeToken(config: Config): Promise<string> {
  const lib = loadModule(config.PKCS11_MODULE!);
  const lines: string[] = [];
  try {
    const info = lib.C_GetInfo();
    lines.push(`Module ${config.PKCS11_MODULE}: ${info.manufacturerID.trim()} ${info.libraryDescription.trim()}`);
    const pin = configuredPin(config);
    for (const slot of lib.C_GetSlotList(true)) {
      const token = lib.C_GetTokenInfo(slot);
      if (!(token.flags & pkcs11js.CKF_TOKEN_INITIALIZED)) {
        lines.push(`Slot ${slotId(slot)}: uninitialised token`);
        continue;
      }
      lines.push(`Slot ${slotId(slot)}: token "${token.label.trim()}" (${token.manufacturerID.trim()} ${token.model.trim()}, serial ${token.serialNumber.trim()})`);
      const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      try {
        let canLogin = Boolean(pin) && token.label.trim() === config.PKCS11_TOKEN_LABEL;
        if (canLogin) {
          // As the service does: a PIN the token refused before, or a login that could lock it, is not tried.
          try {
            await loginSafely(lib, slot, session, { tokenLabel: token.label.trim(), pin: pin!, refusedPinFile: refusedPinFile(config) });
          } catch (err) {
            lines.push(`  (not logged in: ${err instanceof Error ? err.message : String(err)})`);
            canLogin = false;
          }
        }
        for (const key of findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }])) {
          const [label] = lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_LABEL }]);
          lines.push(`  private key "${String(label!.value)}"`);
        }
        for (const cert of findObjects(lib, session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE }])) {
          const [label, value] = lib.C_GetAttributeValue(session, cert, [{ type: pkcs11js.CKA_LABEL }, { type: pkcs11js.CKA_VALUE }]);
          const c = describeCertificate(derToPem(value!.value as Buffer));
          lines.push(`  certificate "${String(label!.value)}": ${c.subject}; issuer ${c.issuer}; serial ${c.serialNumber}; valid ${c.validFrom} – ${c.validTo}`);
        }
        if (!canLogin) lines.push('  (private keys are listed only for PKCS11_TOKEN_LABEL with a PIN that logs in)');
        else lib.C_Logout(session);
      } finally {
        lib.C_CloseSession(session);
      }
    }
  } finally {
    lib.C_Finalize();
  }
  return lines.join('\n');
}

/** A slot id as pkcs11-tool prints it (a CK_ULONG, hexadecimal), not the bytes of its buffer. */
function slotId(slot: Buffer): string {
  return `0x${(slot.length >= 8 ? slot.readBigUInt64LE(0) : BigInt(slot.readUInt32LE(0))).toString(16)}`;
}
