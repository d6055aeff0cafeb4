import { createPrivateKey, sign as cryptoSign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { splitPemChain } from '../certificates/pem.ts';
import { ECDSA_SHA256, RSA_SHA256, selfTest, type Signer } from './signer.ts';

/** Signs with a PEM private key: development, and centers without a token. */
export class FileSigner implements Signer {
  readonly kind = 'file' as const;
  readonly signatureMethod: string;

  private constructor(
    private readonly key: KeyObject,
    readonly certificateChain: readonly string[],
  ) {
    this.signatureMethod = key.asymmetricKeyType === 'ec' ? ECDSA_SHA256 : RSA_SHA256;
  }

  static async open(keyFile: string, certFile: string, extraChain: string[] = []): Promise<FileSigner> {
    const chain = splitPemChain(await readFile(certFile, 'utf8'));
    if (chain.length === 0) throw new Error(`${certFile} holds no PEM certificate`);
    return FileSigner.fromPem(await readFile(keyFile, 'utf8'), [...chain, ...extraChain.filter((c) => !chain.includes(c))]);
  }

  /** A signer from a PEM key and its certificate chain (leaf first). */
  static fromPem(keyPem: string, chain: string[]): FileSigner {
    if (chain.length === 0) throw new Error('a signer needs its certificate');
    return new FileSigner(createPrivateKey(keyPem), chain);
  }

  async sign(data: Buffer): Promise<Buffer> {
    return cryptoSign('sha256', data, { key: this.key, dsaEncoding: 'ieee-p1363' });
  }

  healthy(): Promise<boolean> {
    return selfTest(this).catch(() => false);
  }

  async close(): Promise<void> {}
}
