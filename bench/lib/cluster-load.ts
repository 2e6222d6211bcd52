// The client load of the cluster benches: `clients` closed loops of random
// GET/SET (one SET in four) on keys key:0..keys-1 through an ioredis
// Redis.Cluster, so routing runs and redirects are followed while slots move.

import type { Cluster } from 'ioredis';

export interface LoadOptions {
  readonly clients: number;
  readonly keys: number;
  readonly valueBytes: number;
  /** Each request's start (epoch ms, sub-ms precision) and duration, errors included. */
  readonly onRequest?: (startMs: number, ms: number) => void;
}

export class ClusterLoad {
  requests = 0;
  errors = 0;
  /** Loops whose request had not finished `waitMs` after stop(): left behind and counted, not awaited. */
  stuck = 0;
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly value: string;

  constructor(private readonly c: Cluster, private readonly o: LoadOptions) {
    this.value = 'w'.repeat(o.valueBytes);
  }

  start(): void {
    for (let i = 0; i < this.o.clients; i++) this.loops.push(this.loop(i));
  }

  private async loop(i: number): Promise<void> {
    const { keys, onRequest } = this.o;
    let n = i;
    while (this.running) {
      const key = `key:${Math.floor(Math.random() * keys)}`;
      const t0 = performance.now();
      try {
        if (n++ % 4 === 0) await this.c.set(key, this.value);
        else await this.c.get(key);
        this.requests++;
      } catch {
        this.errors++;
      }
      onRequest?.(performance.timeOrigin + t0, performance.now() - t0);
    }
  }

  /**
   * Stops the loops and waits for their last requests, at most `waitMs`: a
   * client whose request never ends (ioredis retrying a slot map it cannot
   * refresh) must not hang the bench; it is reported instead.
   */
  async stop(waitMs = 10_000): Promise<void> {
    this.running = false;
    let settled = 0;
    const done = Promise.all(this.loops.map((l) => l.then(() => void settled++)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
    this.stuck = this.loops.length - settled;
  }
}
