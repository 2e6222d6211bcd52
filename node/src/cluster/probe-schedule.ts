// Which peer to probe next. SWIM's round-robin over a shuffled member list:
// each peer is probed by each observer once per pass (N x probeIntervalMs at
// worst), and some observer probes any given peer every probe period in
// expectation, so the cost per node per second is constant in N. Peers that
// joined are inserted at a random position so they are not all probed last.

export class ProbeSchedule {
  private order: string[] = [];
  private next = 0;

  constructor(private readonly random: () => number) {}

  /** O(1): append, then swap with a random not-yet-probed position. */
  add(id: string): void {
    this.order.push(id);
    const last = this.order.length - 1;
    const at = this.next + Math.floor(this.random() * (last - this.next + 1));
    this.order[last] = this.order[at]!;
    this.order[at] = id;
  }

  /** The next id for which `eligible` holds, reshuffling after a full pass; null if none. */
  pick(members: () => Iterable<string>, eligible: (id: string) => boolean): string | null {
    for (let attempts = 0; attempts < 2; attempts++) {
      while (this.next < this.order.length) {
        const id = this.order[this.next++]!;
        if (eligible(id)) return id;
      }
      this.reshuffle(members());
    }
    return null;
  }

  private reshuffle(members: Iterable<string>): void {
    const a = [...members];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const t = a[i]!;
      a[i] = a[j]!;
      a[j] = t;
    }
    this.order = a;
    this.next = 0;
  }
}
