import { randomBytes, scryptSync } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import pkcs11js from 'pkcs11js';
import { ECDSA_SHA256, RSA_SHA256, selfTest, type Signer } from './signer.ts';
import { Mutex } from './mutex.ts';
import { derToPem } from '../certificates/pem.ts';

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

/**
 * A module is initialised once per process: the signers of its tokens and
 * sessions share it, and it is finalised when the last of them closes.
 */
const modules = new Map<string, { lib: pkcs11js.PKCS11; users: number }>();

function acquireModule(modulePath: string): pkcs11js.PKCS11 {
  const shared = modules.get(modulePath);
  if (shared) {
    shared.users++;
    return shared.lib;
  }
  const lib = loadModule(modulePath);
  modules.set(modulePath, { lib, users: 1 });
  return lib;
}

function releaseModule(modulePath: string): void {
  const shared = modules.get(modulePath)!;
  if (--shared.users > 0) return;
  modules.delete(modulePath);
  shared.lib.C_Finalize();
}

const moduleShared = (modulePath: string) => (modules.get(modulePath)?.users ?? 0) > 1;

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

/**
 * One key of the token the signer can sign with: its label, its certificate
 * chain (the signer's first) and, once found on the session, its handle.
 */
export interface SigningKey {
  readonly keyLabel: string;
  chain: readonly string[];
  handle: Handle | null;
  mechanism: number;
  signatureMethod: string;
}

/** Signs with a private key that never leaves the token (a USB token in production, SoftHSM2 in tests). */
export class Pkcs11Signer implements Signer {
  readonly kind = 'pkcs11' as const;
  private readonly mutex = new Mutex();
  private session: Handle | null = null;
  /** The key new documents are signed with; switched (SIGHUP) for a renewal while the service runs. */
  private current: SigningKey;
  /** Why the token refused the PIN: from then on this process never logs in again. */
  private pinRefused: string | null = null;
  private lastReinit = 0;

  private constructor(
    private readonly lib: pkcs11js.PKCS11,
    private readonly opts: Pkcs11Options,
    private readonly pin: string,
    leaf: string,
  ) {
    this.current = { keyLabel: opts.keyLabel, chain: [leaf], handle: null, mechanism: pkcs11js.CKM_SHA256_RSA_PKCS, signatureMethod: RSA_SHA256 };
  }

  get certificateChain(): readonly string[] {
    return this.current.chain;
  }

  /** RSA or EC, both SHA-256: from the current key's type. */
  get signatureMethod(): string {
    return this.current.signatureMethod;
  }

  get keyLabel(): string {
    return this.current.keyLabel;
  }

  get module(): string {
    return this.opts.module;
  }

  get tokenLabel(): string {
    return this.opts.tokenLabel;
  }

  /** Completes the chain when the token holds only the signer's own certificate. */
  withChain(issuers: string[]): this {
    this.current.chain = [this.current.chain[0]!, ...issuers];
    return this;
  }

  static async open(opts: Pkcs11Options): Promise<Pkcs11Signer> {
    const pin = opts.pinFile ? (await readFile(opts.pinFile, 'utf8')).trim() : opts.pin;
    if (!pin) throw new Error('a PKCS#11 PIN is required');
    const lib = acquireModule(opts.module);
    try {
      const session = lib.C_OpenSession(findSlot(lib, opts.tokenLabel), pkcs11js.CKF_SERIAL_SESSION);
      try {
        const leaf = certificateOf(lib, session, opts.tokenLabel, opts.keyLabel);
        const signer = new Pkcs11Signer(lib, opts, pin, leaf);
        await signer.connect();
        if (opts.refusedPinFile) await rm(opts.refusedPinFile, { force: true });
        return signer;
      } finally {
        lib.C_CloseSession(session);
      }
    } catch (err) {
      releaseModule(opts.module);
      throw err;
    }
  }

  /** Opens the one logged-in session the signer uses and finds the current key on it. */
  private async connect(): Promise<void> {
    if (this.pinRefused) throw new Error(`the token refused the PIN (${this.pinRefused}); it is not tried again`);
    const slot = this.slot();
    const session = this.lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    try {
      await loginSafely(this.lib, slot, session, { tokenLabel: this.opts.tokenLabel, pin: this.pin, refusedPinFile: this.opts.refusedPinFile });
    } catch (err) {
      this.lib.C_CloseSession(session);
      this.pinRefused = PIN_REFUSED.exec(String(err))?.[0] ?? null;
      throw err;
    }
    try {
      this.findKey(session, this.current);
    } catch (err) {
      this.lib.C_CloseSession(session);
      throw err;
    }
    this.session = session;
  }

  /** Finds `key`'s private key on `session`: its handle, and the mechanism its type signs with. */
  private findKey(session: Handle, key: SigningKey): void {
    const [handle] = findObjects(this.lib, session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_LABEL, value: key.keyLabel },
    ]);
    if (!handle) throw new Error(`token "${this.opts.tokenLabel}" holds no private key labelled "${key.keyLabel}"`);
    const [keyType] = this.lib.C_GetAttributeValue(session, handle, [{ type: pkcs11js.CKA_KEY_TYPE }]);
    const isEc = (keyType!.value as Buffer).readUInt32LE(0) === pkcs11js.CKK_EC;
    key.handle = handle;
    key.mechanism = isEc ? pkcs11js.CKM_ECDSA_SHA256 : pkcs11js.CKM_SHA256_RSA_PKCS;
    key.signatureMethod = isEc ? ECDSA_SHA256 : RSA_SHA256;
  }

  /**
   * The token's slot. A token plugged back in may come back as a new slot that
   * a module scanned at initialisation does not list: when it is not found,
   * the module is initialised again (at most once a second) and asked again;
   * not while other signers share the module, whose sessions that would end
   * (their tokens come back when the module lists them again by itself).
   */
  private slot(): Handle {
    try {
      return findSlot(this.lib, this.opts.tokenLabel);
    } catch (err) {
      if (Date.now() - this.lastReinit < 1_000 || moduleShared(this.opts.module)) throw err;
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

  private signOnce(key: SigningKey, data: Buffer): Promise<Buffer> {
    const session = this.session;
    if (!session) return Promise.reject(new Error('PKCS#11 session is not open'));
    if (!key.handle) this.findKey(session, key);
    this.lib.C_SignInit(session, { mechanism: key.mechanism }, key.handle!);
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
    return this.signWith(this.current, data);
  }

  private signWith(key: SigningKey, data: Buffer): Promise<Buffer> {
    return this.mutex.run(async () => {
      if (!this.session) await this.connect();
      try {
        return await this.signOnce(key, data);
      } catch (err) {
        if (!SESSION_LOST.test(String(err))) throw err;
        this.dropSession();
        await this.connect();
        return this.signOnce(key, data);
      }
    });
  }

  /**
   * The signer of one whole document: its certificate chain and its
   * signatures stay those of the key current now, even if the key is
   * switched while the document is being signed.
   */
  pinned(): Signer {
    const key = this.current;
    const chain = key.chain;
    return {
      kind: this.kind,
      signatureMethod: key.signatureMethod,
      certificateChain: chain,
      sign: (data) => this.signWith(key, data),
      healthy: () => this.healthy(),
      close: async () => undefined,
    };
  }

  /**
   * Readies another key of the token (a renewal): its certificate from the
   * token, its handle, and a probe signature that verifies with that
   * certificate. Nothing changes until `useKey`.
   */
  async prepareKey(keyLabel: string): Promise<SigningKey> {
    return this.mutex
      .run(async () => {
        if (!this.session) await this.connect();
        const leaf = certificateOf(this.lib, this.session!, this.opts.tokenLabel, keyLabel);
        const key: SigningKey = { keyLabel, chain: [leaf], handle: null, mechanism: pkcs11js.CKM_SHA256_RSA_PKCS, signatureMethod: RSA_SHA256 };
        this.findKey(this.session!, key);
        return key;
      })
      .then(async (key) => {
        const probe = Buffer.from(`key switch probe ${Date.now()}`);
        const signature = await this.signWith(key, probe);
        const { createPublicKey, verify } = await import('node:crypto');
        if (!verify('sha256', probe, { key: createPublicKey(key.chain[0]!), dsaEncoding: 'ieee-p1363' }, signature)) {
          throw new Error(`the certificate labelled "${keyLabel}" does not certify the private key of that label`);
        }
        return key;
      });
  }

  /** New documents are signed with `key` from now on; documents being signed finish with theirs. */
  useKey(key: SigningKey): void {
    this.current = key;
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
    this.current.handle = null;
  }

  healthy(): Promise<boolean> {
    return selfTest(this.pinned()).catch(() => false);
  }

  async close(): Promise<void> {
    await this.mutex.run(async () => {
      // A logout ends the login of every session of the application on the token: only the last signer of the module logs out.
      if (this.session && !moduleShared(this.opts.module)) {
        try {
          this.lib.C_Logout(this.session);
        } catch {
          // logging out of a removed token fails; closing is what matters
        }
      }
      this.dropSession();
      releaseModule(this.opts.module);
    });
  }
}

/** The certificate stored on the token under `keyLabel`, as PEM. */
function certificateOf(lib: pkcs11js.PKCS11, session: Handle, tokenLabel: string, keyLabel: string): string {
  const [certHandle] = findObjects(lib, session, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
    { type: pkcs11js.CKA_LABEL, value: keyLabel },
  ]);
  if (!certHandle) throw new Error(`token "${tokenLabel}" holds no certificate labelled "${keyLabel}"`);
  const [value] = lib.C_GetAttributeValue(session, certHandle, [{ type: pkcs11js.CKA_VALUE }]);
  return derToPem(value!.value as Buffer);
}

/** Slow on purpose (scrypt): a PIN is a few digits, and its record must not give it away in seconds. */
function pinHash(salt: string, tokenLabel: string, pin: string): string {
  return scryptSync(`${tokenLabel}\0${pin}`, salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString('hex');
}

/** Refuses, without touching the token, a PIN this token refused before. */
async function refuseKnownBadPin(file: string, tokenLabel: string, pin: string): Promise<void> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (!text) return;
  const seen = JSON.parse(text) as { salt: string; hash: string; at: string; code: string };
  if (seen.hash === pinHash(seen.salt, tokenLabel, pin)) {
    throw new Error(
      `token "${tokenLabel}" refused this PIN at ${seen.at} (${seen.code}); it is not tried again, since a token locks after a few wrong PINs: set the right PIN (a different PIN is tried), or delete ${file}`,
    );
  }
}

async function rememberBadPin(file: string, tokenLabel: string, pin: string, code: string): Promise<void> {
  const salt = randomBytes(16).toString('hex');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify({ salt, hash: pinHash(salt, tokenLabel, pin), at: new Date().toISOString(), code }), { mode: 0o600 });
}

/**
 * Refuses to log in where a login could lock the token: its user PIN already
 * locked, or one try left. No login is spent; the flags are read each time.
 */
function refuseUnsafeLogin(lib: pkcs11js.PKCS11, slot: Buffer, tokenLabel: string): void {
  const flags = lib.C_GetTokenInfo(slot).flags;
  if (flags & pkcs11js.CKF_USER_PIN_LOCKED) throw new Error(`token "${tokenLabel}" has locked its user PIN: unlock it with the token's own tool`);
  if (flags & pkcs11js.CKF_USER_PIN_FINAL_TRY) {
    throw new Error(`token "${tokenLabel}" has one PIN try left: the service does not spend it; check the PIN with the token's own tool first`);
  }
}

/**
 * Logs in as the token's user, never where a login could lock the token: a PIN
 * it refused before (remembered in `refusedPinFile`) is not tried again, nor is
 * a locked or last-try PIN spent; a PIN it refuses now is remembered. The one
 * login of the signer, the token commands and `token info`.
 */
export async function loginSafely(lib: pkcs11js.PKCS11, slot: Buffer, session: Buffer, opts: { tokenLabel: string; pin: string; refusedPinFile?: string }): Promise<void> {
  if (opts.refusedPinFile) await refuseKnownBadPin(opts.refusedPinFile, opts.tokenLabel, opts.pin);
  refuseUnsafeLogin(lib, slot, opts.tokenLabel);
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, opts.pin);
  } catch (err) {
    if (/CKR_USER_ALREADY_LOGGED_IN/.test(String(err))) return;
    const refused = PIN_REFUSED.exec(String(err));
    if (refused && opts.refusedPinFile) await rememberBadPin(opts.refusedPinFile, opts.tokenLabel, opts.pin, refused[0]);
    throw err;
  }
}
