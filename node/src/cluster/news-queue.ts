// What this node has learned recently and still owes the cluster. Each change
// (a new node, a role or FAIL change, a new configEpoch or slots) enters the
// queue keyed by node id; every outgoing ping/pong piggybacks the entries
// sent least often, and an entry retires after retransmitMult x log10(N+1)
// transmissions (memberlist's TransmitLimitedQueue). Epidemic spreading then
// reaches every node in O(log N) probe periods while a quiet cluster sends no
// news at all. Entries sit in buckets by transmission count, so taking k of
// them costs O(k), not a sort of the queue. The queue is capped: beyond
// maxQueued items (a cluster forming, a partition healing) the most-sent
// items are dropped and anti-entropy carries the bulk, since re-announcing
// N new nodes on every node would cost O(N^2 log N) entries.

export class NewsQueue {
  /** buckets[c] = ids transmitted c times (insertion order = age). */
  private buckets: Set<string>[] = [];
  private readonly count = new Map<string, number>();

  constructor(
    private readonly retransmitMult: number,
    private readonly maxQueued = 64,
  ) {}

  get size(): number {
    return this.count.size;
  }

  /** (Re)announce a node: a newer change restarts its transmission count. */
  push(id: string): void {
    this.drop(id);
    if (this.count.size >= this.maxQueued) this.evictMostSent();
    this.count.set(id, 0);
    (this.buckets[0] ??= new Set()).add(id);
  }

  private evictMostSent(): void {
    for (let c = this.buckets.length - 1; c >= 0; c--) {
      const b = this.buckets[c];
      if (!b || b.size === 0) continue;
      const id = b.values().next().value as string;
      this.drop(id);
      return;
    }
  }

  drop(id: string): void {
    const c = this.count.get(id);
    if (c === undefined) return;
    this.buckets[c]?.delete(id);
    this.count.delete(id);
  }

  retransmitLimit(clusterSize: number): number {
    return this.retransmitMult * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));
  }

  /** Up to `max` ids, fewest transmissions first; counts them as sent. */
  take(max: number, clusterSize: number, exclude: string): string[] {
    if (this.count.size === 0 || max <= 0) return [];
    const limit = this.retransmitLimit(clusterSize);
    const out: string[] = [];
    for (let c = 0; c < this.buckets.length && out.length < max; c++) {
      const b = this.buckets[c];
      if (!b || b.size === 0) continue;
      for (const id of b) {
        if (out.length >= max) break;
        if (id !== exclude) out.push(id);
      }
    }
    for (const id of out) {
      const c = this.count.get(id)!;
      this.buckets[c]!.delete(id);
      if (c + 1 >= limit) this.count.delete(id);
      else {
        this.count.set(id, c + 1);
        (this.buckets[c + 1] ??= new Set()).add(id);
      }
    }
    return out;
  }
}
