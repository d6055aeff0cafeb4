import type { Signer } from './signer.ts';

/** How long a member that failed is left alone before it is probed again. */
const PROBE_AFTER_MS = 2_000;

interface Member {
  readonly signer: Signer;
  readonly name: string;
  /** Signatures asked of it and not yet answered. */
  busy: number;
  /** When it last failed; null while it signs. */
  downSince: number | null;
  probing: boolean;
  signed: number;
  /** When it last made a signature (ms). */
  lastSigned: number;
}

/** A member that signed this recently is up: a health check asks no signature of it. */
const RECENT_MS = 5_000;

/** What /v1/signer and the metrics say of each member. */
export interface MemberStatus {
  name: string;
  up: boolean;
  busy: number;
  signed: number;
}

/**
 * Several signers (tokens, or sessions of one token) behind one: each
 * document goes to the member that is up and least busy, and all its
 * signatures to that member (its certificate is the one in the document's
 * KeyInfo). A member whose signature fails is taken out; while others are up,
 * it gets no documents and is probed at most every 2 s, and put back when a
 * probe signature checks out. When every member is down, a document tries the
 * one that failed longest ago, so a lone token that comes back signs again
 * without a restart.
 */
export class SignerPool implements Signer {
  private readonly members: Member[];

  constructor(members: ReadonlyArray<{ signer: Signer; name: string }>) {
    if (members.length === 0) throw new Error('a signer pool needs at least one signer');
    this.members = members.map((m) => ({ signer: m.signer, name: m.name, busy: 0, downSince: null, probing: false, signed: 0, lastSigned: 0 }));
  }

  get kind(): Signer['kind'] {
    return this.members[0]!.signer.kind;
  }

  get signatureMethod(): string {
    return this.choose().signer.signatureMethod;
  }

  get certificateChain(): readonly string[] {
    return this.choose().signer.certificateChain;
  }

  /** A document failing on one member is tried again on another. */
  get size(): number {
    return this.members.length;
  }

  /** The signers behind the pool, for a key switch that must reach each of them. */
  get signers(): Signer[] {
    return this.members.map((m) => m.signer);
  }

  status(): MemberStatus[] {
    return this.members.map((m) => ({ name: m.name, up: m.downSince === null, busy: m.busy, signed: m.signed }));
  }

  private choose(): Member {
    const up = this.members.filter((m) => m.downSince === null);
    for (const m of this.members) if (m.downSince !== null) this.probe(m);
    if (up.length > 0) return up.reduce((best, m) => (m.busy < best.busy ? m : best));
    return this.members.reduce((oldest, m) => (m.downSince! < oldest.downSince! ? m : oldest));
  }

  private probe(m: Member): void {
    if (m.probing || Date.now() - m.downSince! < PROBE_AFTER_MS) return;
    m.probing = true;
    m.signer
      .healthy()
      .then(
        (ok) => {
          if (ok) m.downSince = null;
          else m.downSince = Date.now();
        },
        () => {
          m.downSince = Date.now();
        },
      )
      .finally(() => {
        m.probing = false;
      });
  }

  /** The signer of one whole document: one member, its chain and its key. */
  pinned(): Signer {
    const m = this.choose();
    const one = m.signer.pinned?.() ?? m.signer;
    return {
      kind: one.kind,
      signatureMethod: one.signatureMethod,
      certificateChain: one.certificateChain,
      sign: async (data) => {
        m.busy++;
        try {
          const signature = await one.sign(data);
          m.downSince = null;
          m.signed++;
          m.lastSigned = Date.now();
          return signature;
        } catch (err) {
          m.downSince = Date.now();
          throw err;
        } finally {
          m.busy--;
        }
      },
      healthy: () => one.healthy(),
      close: async () => undefined,
    };
  }

  sign(data: Buffer): Promise<Buffer> {
    return this.pinned().sign(data);
  }

  /**
   * Up when at least one member signs a probe that checks out; each member's
   * state follows its probe. A member that signed in the last 5 s is not
   * asked again: a health check cannot be made to queue signatures behind
   * the receipts.
   */
  async healthy(): Promise<boolean> {
    const results = await Promise.all(
      this.members.map(async (m) => {
        if (m.downSince === null && Date.now() - m.lastSigned < RECENT_MS) return true;
        const ok = await m.signer.healthy().catch(() => false);
        m.downSince = ok ? null : (m.downSince ?? Date.now());
        return ok;
      }),
    );
    return results.some(Boolean);
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.signer.close()));
  }
}

/** The certificate chain of each signer behind `signer` (one, unless it is a pool): each is checked at start. */
export const chainsOf = (signer: Signer): Array<readonly string[]> => (signer instanceof SignerPool ? signer.signers.map((s) => s.certificateChain) : [signer.certificateChain]);
