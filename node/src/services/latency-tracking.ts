// Per-command latency histograms, Redis 7.0's latency-tracking: every call's
// duration goes into a log-linear histogram per command (128 linear steps per
// power of two, the resolution of Redis's HDR histogram with 2 significant
// digits), which INFO latencystats reads percentiles from and LATENCY
// HISTOGRAM prints as power-of-two buckets.

const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;

function log2Floor(n: number): number {
  return n < 0x80000000 ? 31 - Math.clz32(n) : Math.floor(Math.log2(n));
}

/** Bucket index of a value in ns: exact below 128, then 128 steps per power of two. */
export function bucketOf(ns: number): number {
  if (ns < SUB) return ns;
  const e = log2Floor(ns);
  const sub = Math.floor(ns / 2 ** (e - SUB_BITS));
  return (e - SUB_BITS + 1) * SUB + (sub - SUB);
}

/** The highest value in ns that falls in bucket idx (HDR's highest equivalent value). */
export function bucketHighest(idx: number): number {
  if (idx < SUB) return idx;
  const e = Math.floor(idx / SUB) + SUB_BITS - 1;
  const width = 2 ** (e - SUB_BITS);
  return (SUB + (idx % SUB)) * width + width - 1;
}

export class LatencyHistogram {
  /** Count per bucket index (grown on demand): one array write per call, no Map on the hot path. */
  private counts = new Float64Array(2048);
  total = 0;

  record(ns: number): void {
    const b = bucketOf(ns < 1 ? 1 : Math.round(ns));
    if (b >= this.counts.length) {
      const next = new Float64Array(Math.max(b + 1, this.counts.length * 2));
      next.set(this.counts);
      this.counts = next;
    }
    this.counts[b]!++;
    this.total++;
  }

  clear(): void {
    this.counts.fill(0);
    this.total = 0;
  }

  private sorted(): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]! > 0) out.push([i, this.counts[i]!]);
    return out;
  }

  /** Value in ns at percentile p (0-100), as HDR reports it: the highest value of its bucket. */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const want = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    let last = 0;
    for (const [b, n] of this.sorted()) {
      seen += n;
      last = b;
      if (seen >= want) break;
    }
    return bucketHighest(last);
  }

  /**
   * LATENCY HISTOGRAM's histogram_usec: cumulative counts at power-of-two
   * bounds from 1024 ns, listing only bounds whose step added samples.
   */
  cumulativeBuckets(): [number, number][] {
    const out: [number, number][] = [];
    const entries = this.sorted();
    let i = 0;
    let cumulative = 0;
    for (let bound = 1024; cumulative < this.total; bound *= 2) {
      const top = bucketOf(bound);
      let added = 0;
      while (i < entries.length && entries[i]![0] <= top) {
        added += entries[i]![1];
        i++;
      }
      cumulative += added;
      if (added > 0) out.push([Math.floor(bucketHighest(top) / 1000), cumulative]);
    }
    return out;
  }
}

export class LatencyTracker {
  /** Full command name ("get", "client|list") to its histogram, created at first call. */
  readonly byCommand = new Map<string, LatencyHistogram>();
  enabled = true;

  /** The histogram of a command, created on first use; callers may keep it (reset clears in place). */
  histogram(fullName: string): LatencyHistogram {
    let h = this.byCommand.get(fullName);
    if (!h) {
      h = new LatencyHistogram();
      this.byCommand.set(fullName, h);
    }
    return h;
  }

  record(fullName: string, micros: number): void {
    if (!this.enabled) return;
    this.histogram(fullName).record(micros * 1000);
  }

  reset(): void {
    for (const h of this.byCommand.values()) h.clear();
  }
}
