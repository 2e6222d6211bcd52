// The client workload of a chaos run: an ioredis Redis.Cluster, as an
// application would use it, with concurrent writers and readers, and a
// history of every operation so a model can judge the outcome.
//
// Writers alternate SET of a key that is never written again (unique key,
// known value) and INCR of one of a few shared counters. Each operation is
// either acknowledged (the client got OK / an integer; with CHAOS_WAIT also
// WAIT >= 1), failed with a reply or client error, or timed out. Only an
// acknowledged write is a promise the cluster made; a failed or timed-out one
// may or may not have been applied (undetermined). Readers GET keys already
// acknowledged and count misses (stale or lost reads during failover).
//
// Everything is bounded: each loop stops at the deadline, after maxOpsPerLoop
// operations, or when stop() is called; each operation has its own timeout.

import calculateSlot from 'cluster-key-slot';
import { Cluster } from 'ioredis';

export interface WorkloadOptions {
  readonly seeds: readonly { host: string; port: number }[];
  readonly runId: string;
  readonly writers: number;
  readonly readers: number;
  readonly counters: number;
  /** Pause between operations of one loop: the rate limit (2 cores run the whole cluster too). */
  readonly pauseMs: number;
  readonly opTimeoutMs: number;
  readonly maxDurationMs: number;
  readonly maxOpsPerLoop: number;
  /** Follow each write with WAIT 1 waitTimeoutMs in the same pipeline. */
  readonly wait?: { readonly replicas: number; readonly timeoutMs: number };
}

export type Outcome = 'ack' | 'error' | 'timeout';

/** One write, for the model and for recovery timing. */
export interface WriteOp {
  readonly kind: 'set' | 'incr';
  readonly key: string;
  readonly slot: number;
  readonly startMs: number;
  endMs: number;
  outcome: Outcome;
  /** SET: the value written. INCR: the value returned when acknowledged. */
  value?: string;
}

export interface CounterTally {
  acked: number;
  attempted: number;
  /** Highest value an acknowledged INCR returned. */
  maxSeen: number;
}

export class Workload {
  readonly sets = new Map<string, WriteOp>();
  readonly counters = new Map<string, CounterTally>();
  /** Every write in start order (sets and incrs), for timing. */
  readonly writes: WriteOp[] = [];
  readonly errorsByKind = new Map<string, number>();
  reads = 0;
  readMisses = 0;
  readErrors = 0;
  private stopping = false;
  private loops: Promise<void>[] = [];
  private readonly acked: string[] = [];
  private readonly client: Cluster;
  private readonly t0 = Date.now();
  private deadline = 0;

  constructor(readonly o: WorkloadOptions) {
    this.client = new Cluster(o.seeds.map((s) => ({ host: s.host, port: s.port })), {
      scaleReads: 'master',
      // Refresh the slot map often: after a failover the client must find the new primary quickly.
      slotsRefreshInterval: 1000,
      slotsRefreshTimeout: 1000,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      maxRedirections: 16,
      redisOptions: { commandTimeout: o.opTimeoutMs, connectTimeout: o.opTimeoutMs, maxRetriesPerRequest: 1 },
    });
    this.client.on('error', () => { /* connection errors show up as failed operations */ });
    for (let i = 0; i < o.counters; i++) this.counters.set(this.counterKey(i), { acked: 0, attempted: 0, maxSeen: 0 });
  }

  counterKey(i: number): string {
    return `chaos:${this.o.runId}:ctr:${i}`;
  }

  /** Milliseconds since the workload was created (the time base of every op). */
  now(): number {
    return Date.now() - this.t0;
  }

  start(): void {
    this.deadline = this.now() + this.o.maxDurationMs;
    for (let w = 0; w < this.o.writers; w++) this.loops.push(this.writer(w));
    for (let r = 0; r < this.o.readers; r++) this.loops.push(this.reader());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.loops);
  }

  async close(): Promise<void> {
    await this.stop();
    this.client.disconnect();
  }

  private running(ops: number): boolean {
    return !this.stopping && ops < this.o.maxOpsPerLoop && this.now() < this.deadline;
  }

  private classify(e: unknown): string {
    if (e instanceof OpTimeout) return 'timeout';
    if (!(e instanceof Error)) return 'unknown';
    // A Redis reply error's code is its first word in capitals (MOVED, CLUSTERDOWN, ...).
    const first = e.message.split(' ')[0] ?? '';
    if (e.name === 'ReplyError' && /^[A-Z]+$/.test(first)) return first;
    if (e.name !== 'Error' && e.name !== 'ReplyError') return e.name;
    // ioredis's commandTimeout error (its own text, no code): the same kind as ours.
    if (e.message === 'Command timed out') return 'timeout';
    if (e.message === 'Connection is closed.') return 'connection-closed';
    // ioredis gives up after maxRedirections retries; what matters is the last node's error.
    const lastNodeError = (e as { lastNodeError?: unknown }).lastNodeError;
    if (e.message.startsWith('Too many Cluster redirections')) return `too-many-redirections(${lastNodeError ? this.classify(lastNodeError) : '?'})`;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    // ioredis's own errors carry no code; keep a short, stable form of the message.
    return e.message.replace(/\d+/g, 'N').slice(0, 60);
  }

  private countError(kind: string): void {
    this.errorsByKind.set(kind, (this.errorsByKind.get(kind) ?? 0) + 1);
  }

  private async timed<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const t = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new OpTimeout()), this.o.opTimeoutMs * 2);
    });
    try {
      return await Promise.race([p, t]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async write(op: WriteOp, run: () => Promise<string | number>): Promise<void> {
    this.writes.push(op);
    try {
      const r = await this.timed(run());
      op.outcome = 'ack';
      if (op.kind === 'incr') op.value = String(r);
    } catch (e) {
      const kind = this.classify(e);
      op.outcome = kind === 'timeout' ? 'timeout' : 'error';
      this.countError(kind);
    }
    op.endMs = this.now();
  }

  /** Runs `cmd` and, when configured, WAIT in the same pipeline (same node); ack needs WAIT >= replicas. */
  private async withWait(key: string, cmd: (p: ReturnType<Cluster['pipeline']>) => void): Promise<string | number> {
    const wait = this.o.wait;
    const p = this.client.pipeline();
    cmd(p);
    if (wait) p.call('WAIT', String(wait.replicas), String(wait.timeoutMs));
    const res = await p.exec();
    if (!res) throw new Error(`pipeline for ${key} returned nothing`);
    for (const [err] of res) if (err) throw err;
    const first = res[0]?.[1];
    if (wait) {
      const acked = Number(res[1]?.[1]);
      if (!(acked >= wait.replicas)) throw new WaitShort();
    }
    return first as string | number;
  }

  private async writer(w: number): Promise<void> {
    let ops = 0;
    while (this.running(ops)) {
      const key = `chaos:${this.o.runId}:w${w}:${ops}`;
      const value = `v${w}.${ops}`;
      const set: WriteOp = { kind: 'set', key, slot: calculateSlot(key), startMs: this.now(), endMs: 0, outcome: 'error', value };
      this.sets.set(key, set);
      await this.write(set, () => this.withWait(key, (p) => p.set(key, value)));
      if (set.outcome === 'ack') this.acked.push(key);
      ops++;
      const ckey = this.counterKey((w * 7 + ops) % this.o.counters);
      const tally = this.counters.get(ckey);
      if (!tally) throw new Error(`internal: no tally for ${ckey}`);
      tally.attempted++;
      const incr: WriteOp = { kind: 'incr', key: ckey, slot: calculateSlot(ckey), startMs: this.now(), endMs: 0, outcome: 'error' };
      await this.write(incr, () => this.withWait(ckey, (p) => p.incr(ckey)));
      if (incr.outcome === 'ack') {
        tally.acked++;
        tally.maxSeen = Math.max(tally.maxSeen, Number(incr.value));
      }
      ops++;
      await pause(this.o.pauseMs);
    }
  }

  private async reader(): Promise<void> {
    let ops = 0;
    let i = 0;
    while (this.running(ops)) {
      ops++;
      const key = this.acked.length > 0 ? this.acked[(i = (i * 31 + 17) % this.acked.length)] : undefined;
      if (key !== undefined) {
        this.reads++;
        try {
          const v = await this.timed(this.client.get(key));
          if (v !== this.sets.get(key)?.value) this.readMisses++;
        } catch (e) {
          this.readErrors++;
          this.countError(`read ${this.classify(e)}`);
        }
      }
      await pause(this.o.pauseMs);
    }
  }

  ackedCount(pred: (op: WriteOp) => boolean = () => true): number {
    let n = 0;
    for (const op of this.writes) if (op.outcome === 'ack' && op.endMs > 0 && pred(op)) n++;
    return n;
  }
}

export class OpTimeout extends Error {
  override readonly name = 'OpTimeout';
}

/** WAIT returned fewer replicas than asked: the write is not acknowledged as durable. */
export class WaitShort extends Error {
  override readonly name = 'WaitShort';
}

/** A rate-limiting pause between operations of a loop (not a wait for a condition). */
function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
