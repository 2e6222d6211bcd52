// What this node has learned recently and still owes the cluster. Each change
// (a new node, a role or FAIL change, a new configEpoch or slots) enters the
// queue keyed by node id; every outgoing ping/pong piggybacks the entries
// sent least often, and an entry retires after retransmitMult x log10(N+1)
// transmissions (memberlist's TransmitLimitedQueue). Epidemic spreading then
// reaches every node in O(log N) probe periods while a quiet cluster sends no
// news at all.

export class NewsQueue {
  private readonly transmits = new Map<string, number>();

  constructor(private readonly retransmitMult: number) {}

  get size(): number {
    return this.transmits.size;
  }

  /** (Re)announce a node: a newer change restarts its transmission count. */
  push(id: string): void {
    this.transmits.set(id, 0);
  }

  drop(id: string): void {
    this.transmits.delete(id);
  }

  retransmitLimit(clusterSize: number): number {
    return this.retransmitMult * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));
  }

  /** Up to `max` ids, fewest transmissions first; counts them as sent. */
  take(max: number, clusterSize: number, exclude: string): string[] {
    if (this.transmits.size === 0 || max <= 0) return [];
    const limit = this.retransmitLimit(clusterSize);
    let picked: [string, number][];
    if (this.transmits.size <= max + 1) picked = [...this.transmits];
    else {
      // Partial selection: the queue is small except while a cluster forms.
      picked = [...this.transmits].sort((a, b) => a[1] - b[1]).slice(0, max + 1);
    }
    const out: string[] = [];
    for (const [id, n] of picked) {
      if (id === exclude) continue;
      if (out.length >= max) break;
      out.push(id);
      if (n + 1 >= limit) this.transmits.delete(id);
      else this.transmits.set(id, n + 1);
    }
    return out;
  }
}
