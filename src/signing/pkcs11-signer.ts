import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pkcs11js from 'pkcs11js';
import { ECDSA_SHA256, RSA_SHA256, selfTest, type Signer } from './signer.ts';
import { Mutex } from './mutex.ts';
import { derToPem } from './certificates.ts';

export interface Pkcs11Options {
  module: string;
  tokenLabel: string;
  keyLabel: string;
  pin?: string;
  pinFile?: string;
  /**
   * Where a PIN the token refused is remembered (as a salted hash), so that a
   * supervisor restarting the service with it does not lock the token: that
   * PIN is not tried again; another one is.
   */
  refusedPinFile?: string;
}

/** Login failures that say the PIN is wrong or unusable: never retried with the same PIN. */
const PIN_REFUSED = /CKR_PIN_(INCORRECT|LOCKED|EXPIRED|INVALID|LEN_RANGE)/;

type Handle = Buffer;

/** Errors after which the session is gone (token unplugged, session closed) and reopening may help. */
const SESSION_LOST = /CKR_(SESSION_HANDLE_INVALID|SESSION_CLOSED|USER_NOT_LOGGED_IN|DEVICE_REMOVED|TOKEN_NOT_PRESENT|DEVICE_ERROR)/;

export function loadModule(modulePath: string): pkcs11js.PKCS11 {
  const lib = new pkcs11js.PKCS11();
  lib.load(modulePath);
  // Without OS locking, overlapping async calls from libuv's threads crash the process.
  lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
  return lib;
}

export function findSlot(lib: pkcs11js.PKCS11, tokenLabel: string): Handle {
  for (const slot of lib.C_GetSlotList(true)) {
    if (lib.C_GetTokenInfo(slot).label.trim() === tokenLabel) return slot;
  }
  throw new Error(`no token labelled "${tokenLabel}" is present`);
}

export function findObjects(lib: pkcs11js.PKCS11, session: Handle, template: pkcs11js.Template): Handle[] {
  lib.C_FindObjectsInit(session, template);
  try {
    return lib.C_FindObjects(session, 100);
  } finally {
    lib.C_FindObjectsFinal(session);
  }
}

/** Signs with a private key that never leaves the token (a USB token in production, SoftHSM2 in tests). */
export class Pkcs11Signer implements Signer {
  readonly kind = 'pkcs11' as const;
  /** Set from the key's type when the session opens: RSA or EC, both SHA-256. */
  signatureMethod = RSA_SHA256;
  private mechanism = pkcs11js.CKM_SHA256_RSA_PKCS;
  private readonly mutex = new Mutex();
  private session: Handle | null = null;
  private key: Handle | null = null;
  /** Why the token refused the PIN: from then on this process never logs in again. */
  pinRefused: string | null = null;
  private lastReinit = 0;

  private constructor(
    private readonly lib: pkcs11js.PKCS11,
    private readonly opts: Pkcs11Options,
    private readonly pin: string,
    private chain: readonly string[],
  ) {}

  get certificateChain(): readonly string[] {
    return this.chain;
  }

  /** Completes the chain when the token holds only the signer's own certificate. */
  withChain(issuers: string[]): this {
    this.chain = [this.chain[0]!, ...issuers];
    return this;
  }

  static async open(opts: Pkcs11Options): Promise<Pkcs11Signer> {
    const pin = opts.pinFile ? (await readFile(opts.pinFile, 'utf8')).trim() : opts.pin;
    if (!pin) throw new Error('a PKCS#11 PIN is required');
    if (opts.refusedPinFile) await refuseKnownBadPin(opts.refusedPinFile, opts.tokenLabel, pin);
    const lib = loadModule(opts.module);
    try {
      const session = lib.C_OpenSession(findSlot(lib, opts.tokenLabel), pkcs11js.CKF_SERIAL_SESSION);
      try {
        const [certHandle] = findObjects(lib, session, [
          { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
          { type: pkcs11js.CKA_LABEL, value: opts.keyLabel },
        ]);
        if (!certHandle) throw new Error(`token "${opts.tokenLabel}" holds no certificate labelled "${opts.keyLabel}"`);
        const [value] = lib.C_GetAttributeValue(session, certHandle, [{ type: pkcs11js.CKA_VALUE }]);
        const leaf = derToPem(value!.value as Buffer);
        const signer = new Pkcs11Signer(lib, opts, pin, [leaf]);
        try {
          await signer.connect();
        } catch (err) {
          if (opts.refusedPinFile && signer.pinRefused) await rememberBadPin(opts.refusedPinFile, opts.tokenLabel, pin, signer.pinRefused);
          throw err;
        }
        if (opts.refusedPinFile) await rm(opts.refusedPinFile, { force: true });
        return signer;
      } finally {
        lib.C_CloseSession(session);
      }
    } catch (err) {
      lib.C_Finalize();
      throw err;
    }
  }

  /** Opens the one logged-in session the signer uses and finds the key on it. */
  private async connect(): Promise<void> {
    if (this.pinRefused) throw new Error(`the token refused the PIN (${this.pinRefused}); it is not tried again`);
    const slot = this.slot();
    const flags = this.lib.C_GetTokenInfo(slot).flags;
    if (flags & pkcs11js.CKF_USER_PIN_LOCKED) {
      this.pinRefused = 'CKR_PIN_LOCKED';
      throw new Error(`token "${this.opts.tokenLabel}" has locked its user PIN: unlock it with the token's own tool`);
    }
    if (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) {
      this.pinRefused = 'CKF_USER_PIN_FINAL_TRY';
      throw new Error(`token "${this.opts.tokenLabel}" has one PIN try left: the service does not spend it; check the PIN with the token's own tool first`);
    }
    const session = this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      this.lib.C_Login(session, pkcs11js.CKU_USER, this.pin);
    } catch (err) {
      if (!/CKR_USER_ALREADY_LOGGED_IN/.test(String(err))) {
        this.lib.C_CloseSession(session);
        const refused = PIN_REFUSED.exec(String(err));
        if (refused) this.pinRefused = refused[0];
        throw err;
      }
    }
    const [key] = findObjects(this.lib, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_LABEL, value: this.opts.keyLabel },
    ]);
    if (!key) {
      this.lib.C_CloseSession(session);
      throw new Error(`token "${this.opts.tokenLabel}" holds no private key labelled "${this.opts.keyLabel}"`);
    }
    const [keyType] = this.lib.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_KEY_TYPE }]);
    const isEc = (keyType!.value as Buffer).readUInt32LE(0) === pkcs11js.CKK_EC;
    this.mechanism = isEc ? pkcs11js.CKM_ECDSA_SHA256 : pkcs11js.CKM_SHA256_RSA_PKCS;
    this.signatureMethod = isEc ? ECDSA_SHA256 : RSA_SHA256;
    this.session = session;
    this.key = key;
  }

  /**
   * The token's slot. A token plugged back in may come back as a new slot that
   * a module scanned at initialisation does not list: when it is not found,
   * the module is initialised again (at most once a second) and asked again.
   */
  private slot(): Handle {
    try {
      return findSlot(this.lib, this.opts.tokenLabel);
    } catch (err) {
      if (Date.now() - this.lastReinit < 1_000) throw err;
      this.lastReinit = Date.now();
      try {
        this.lib.C_Finalize();
      } catch {
        // not initialised: initialise below
      }
      this.lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
      return findSlot(this.lib, this.opts.tokenLabel);
    }
  }

  private signOnce(data: Buffer): Promise<Buffer> {
    const session = this.session;
    const key = this.key;
    if (!session || !key) return Promise.reject(new Error('PKCS#11 session is not open'));
    this.lib.C_SignInit(session, { mechanism: this.mechanism }, key);
    return new Promise((resolve, reject) => {
      this.lib.C_Sign(session, data, Buffer.alloc(1024), (err, signature) => (err ? reject(err) : resolve(signature)));
    });
  }

  /**
   * One operation at a time on the session. A lost session (token pulled out)
   * is reopened once; while the token is out every sign fails, and the first
   * one after it is back opens a new session: no restart is needed.
   */
  sign(data: Buffer): Promise<Buffer> {
    return this.mutex.run(async () => {
      if (!this.session) await this.connect();
      try {
        return await this.signOnce(data);
      } catch (err) {
        if (!SESSION_LOST.test(String(err))) throw err;
        this.dropSession();
        await this.connect();
        return this.signOnce(data);
      }
    });
  }

  private dropSession(): void {
    if (this.session) {
      try {
        this.lib.C_CloseSession(this.session);
      } catch {
        // already gone with the token
      }
    }
    this.session = null;
    this.key = null;
  }

  healthy(): Promise<boolean> {
    return selfTest(this).catch(() => false);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      if (this.session) {
        try {
          this.lib.C_Logout(this.session);
        } catch {
          // logging out of a removed token fails; closing is what matters
        }
      }
      this.dropSession();
      this.lib.C_Finalize();
    });
  }
}

function pinHash(salt: string, tokenLabel: string, pin: string): string {
  return createHash('sha256').update(`${salt}\0${tokenLabel}\0${pin}`).digest('hex');
}

/** Refuses, without touching the token, a PIN this token refused before. */
async function refuseKnownBadPin(file: string, tokenLabel: string, pin: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (!text) return;
  const seen = JSON.parse(text) as { salt: string; hash: string; at: string; code: string };
  if (seen.hash === pinHash(seen.salt, tokenLabel, pin)) {
    throw new Error(`token "${tokenLabel}" refused this PIN at ${seen.at} (${seen.code}); it is not tried again, since a token locks after a few wrong PINs: set the right PIN (a different PIN is tried), or delete ${file}`);
  }
}

async function rememberBadPin(file: string, tokenLabel: string, pin: string, code: string): Promise<void> {
  const salt = randomBytes(16).toString('hex');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ salt, hash: pinHash(salt, tokenLabel, pin), at: new Date().toISOString(), code }), { mode: 0o600 });
}
