// The core's mutable per-node record and the fingerprint that anti-entropy
// compares. Only the ClusterCore mutates records; everything outside sees the
// immutable NodeView built from them (view.ts). The fingerprint covers what
// every node must agree on once converged (identity, address, role, primary,
// FAIL, configEpoch, slots) and leaves out what is local to an observer
// (PFAIL, ping/pong times, link state).

import { fnvString, fnvWords, slotsDigest } from './slot-ranges.js';
import type { GossipEntry, NodeFlag, SlotRange } from './types.js';

export interface EntryCache {
  readonly entry: GossipEntry;
  readonly fingerprint: number;
  readonly pfail: boolean;
  readonly pingSentMs: number;
  readonly pongRecvMs: number;
  readonly withSlots: boolean;
}

export const NODE_ID_LENGTH = 40;

export function isNodeId(id: string): boolean {
  return id.length === NODE_ID_LENGTH && /^[0-9a-f]+$/.test(id);
}

/** A 40-hex id from the injected random source (never Math.random). */
export function randomNodeId(random: () => number): string {
  let id = '';
  for (let i = 0; i < NODE_ID_LENGTH; i++) id += Math.floor(random() * 16).toString(16);
  return id;
}

export class NodeRecord {
  ip: string;
  port: number;
  busPort: number;
  hostname = '';
  primary = true;
  primaryId = '';
  shardId: string;
  zone = '';
  noFailover = false;
  configEpoch = 0;
  replOffset = 0;
  /** Sorted disjoint ranges; kept in step with the core's slot-owner table. */
  slots: SlotRange[] = [];
  /** Observer-local failure state. */
  pfail = false;
  fail = false;
  failTimeMs = 0;
  handshake = false;
  handshakeSinceMs = 0;
  /**
   * It met us (CLUSTER MEET on its side) and has not yet shown that it knows
   * us: its own handshake may have timed out before our answer arrived, and it
   * ignores pings from nodes it does not know. Until it answers, our probes to
   * it are MEETs (Redis's MEET flag on the node it handshakes back).
   */
  meetPending = false;
  /** When this node was known to the core; bounds a handshake. */
  createdMs: number;
  /** Redis's ping_sent: first unanswered probe, 0 when none is outstanding. */
  pingSentMs = 0;
  pongRecvMs = 0;
  /** Last time we sent this node anything meant as a probe (re-probe cadence). */
  lastProbeMs = 0;
  indirectSent = false;
  linkConnected = false;
  /** The slots digest this node last told us it holds for us (seenReceiverDigest). */
  knowsMyDigest = -1;
  /** Cached fingerprint, refreshed by the core after each change. */
  fingerprint = 0;

  constructor(
    public id: string,
    ip: string,
    port: number,
    busPort: number,
    nowMs: number,
  ) {
    this.ip = ip;
    this.port = port;
    this.busPort = busPort;
    this.shardId = id;
    this.createdMs = nowMs;
  }

  private digestEpoch = -1;
  private digestSlots: SlotRange[] | null = null;
  private digestValue = 0;

  /** Digest of (configEpoch, slots); cached, since slot arrays are replaced, never mutated. */
  get slotsDigest(): number {
    if (this.digestEpoch !== this.configEpoch || this.digestSlots !== this.slots) {
      this.digestEpoch = this.configEpoch;
      this.digestSlots = this.slots;
      this.digestValue = slotsDigest(this.configEpoch, this.slots);
    }
    return this.digestValue;
  }

  /** Flags as CLUSTER NODES prints them (without 'myself', added by the view). */
  flags(): NodeFlag[] {
    const f: NodeFlag[] = [this.primary ? 'master' : 'slave'];
    if (this.pfail) f.push('pfail');
    if (this.fail) f.push('fail');
    if (this.handshake) f.push('handshake');
    if (this.ip === '' && !this.handshake) f.push('noaddr');
    if (this.noFailover) f.push('nofailover');
    return f;
  }

  /** Role and nofailover as a header or gossip entry carries them. */
  wireFlags(withFailure: boolean): NodeFlag[] {
    const f: NodeFlag[] = [this.primary ? 'master' : 'slave'];
    if (withFailure && this.pfail) f.push('pfail');
    if (withFailure && this.fail) f.push('fail');
    if (this.noFailover) f.push('nofailover');
    return f;
  }

  // String hashes are memoized: fingerprints are recomputed on every change
  // and for every node learned, and the strings behind them rarely change.
  private idHash: readonly [string, number] = ['', 0];
  private ipHash: readonly [string, number] = ['', 0];
  private primaryIdHash: readonly [string, number] = ['', 0];

  private static memo(cache: readonly [string, number], value: string): readonly [string, number] {
    return cache[0] === value && cache[1] !== 0 ? cache : [value, fnvString(value) || 1];
  }

  computeFingerprint(): number {
    this.idHash = NodeRecord.memo(this.idHash, this.id);
    this.ipHash = NodeRecord.memo(this.ipHash, this.ip);
    this.primaryIdHash = NodeRecord.memo(this.primaryIdHash, this.primaryId);
    const roleBits = (this.primary ? 1 : 0) | (this.fail ? 2 : 0);
    return fnvWords([this.idHash[1], this.ipHash[1], this.primaryIdHash[1], roleBits, this.port, this.busPort, this.slotsDigest]);
  }
}
