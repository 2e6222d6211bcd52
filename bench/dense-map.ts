// `node dist/bench/dense-map.js [rounds]`: DenseMap before (one Map index) vs
// after (index split over sub-Maps past 2^16 entries), in the same run.
//
// (1) stall: the longest single set() while inserting 2,000,000 short keys
//     ("key:123456"); a V8 Map doubling rehashes every entry in one insert.
// (2) ops: ns per get (hit and miss), has, set (overwrite), delete and set
//     (new key) on maps of 1k, 100k and 1M entries, keys in random order.
//
// Each (implementation, phase) runs in its own child process so every call
// site sees one class, as in the server; rounds alternate the order, and the
// report gives the median over rounds (timings on a shared machine are noisy).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { DenseMap } from '../node/src/keyspace/dense-map.js';
import { median } from './lib/stats.js';

/** DenseMap as it was before the split index (the hot-path parts only). */
class SingleIndexDenseMap<V> {
  readonly index = new Map<string, number>();
  keys: string[] = [];
  vals: V[] = [];

  get size(): number {
    return this.keys.length;
  }

  has(key: string): boolean {
    return this.index.has(key);
  }

  get(key: string): V | undefined {
    const i = this.index.get(key);
    return i === undefined ? undefined : this.vals[i];
  }

  set(key: string, val: V): boolean {
    const i = this.index.get(key);
    if (i !== undefined) {
      this.vals[i] = val;
      return false;
    }
    this.index.set(key, this.keys.length);
    this.keys.push(key);
    this.vals.push(val);
    return true;
  }

  delete(key: string): number {
    const i = this.index.get(key);
    if (i === undefined) return -1;
    this.index.delete(key);
    const last = this.keys.length - 1;
    if (i !== last) {
      const movedKey = this.keys[last]!;
      this.keys[i] = movedKey;
      this.vals[i] = this.vals[last]!;
      this.index.set(movedKey, i);
    }
    this.keys.pop();
    this.vals.pop();
    return i;
  }
}

const IMPLS = ['before', 'after'] as const;
type Impl = (typeof IMPLS)[number];
const STALL_ENTRIES = 2_000_000;
const SIZES = [1_000, 100_000, 1_000_000] as const;
const OPS_PER_MEASURE = 500_000;
const OPS = ['get-chain', 'get', 'get-fresh', 'get-miss', 'has', 'set-overwrite', 'set-fresh', 'delete', 'set-new'] as const;
type Op = (typeof OPS)[number];

interface StallResult {
  maxMs: number;
  /** The longest insert that overlapped no GC pause: the index's own work. */
  maxNoGcMs: number;
  top: { ms: number; size: number }[];
  totalMs: number;
  over10ms: number;
  over10msNoGc: number;
}
type OpsResult = Record<string, Record<Op, number>>;

function makeMap(impl: Impl): DenseMap<number> | SingleIndexDenseMap<number> {
  return impl === 'before' ? new SingleIndexDenseMap<number>() : new DenseMap<number>();
}

/**
 * Times every insert; a slow insert that overlaps a GC pause is reported
 * apart, since the split index cannot help with those (both sides have them).
 */
async function stall(impl: Impl): Promise<StallResult> {
  const keys: string[] = [];
  for (let i = 0; i < STALL_ENTRIES; i++) keys.push(`key:${i}`);
  const gcs: { start: number; end: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  const m = makeMap(impl);
  const slow: { ms: number; size: number; at: number }[] = [];
  const start = performance.now();
  for (let i = 0; i < STALL_ENTRIES; i++) {
    const t0 = performance.now();
    m.set(keys[i]!, i);
    const ms = performance.now() - t0;
    if (ms > 2) slow.push({ ms, size: i, at: t0 });
  }
  const totalMs = performance.now() - start;
  if (m.size !== STALL_ENTRIES) throw new Error('lost entries');
  await new Promise((resolve) => setTimeout(resolve, 50)); // GC entries arrive on the event loop
  obs.disconnect();
  const inGc = (x: { ms: number; at: number }): boolean => gcs.some((g) => g.start < x.at + x.ms && g.end > x.at);
  const byMs = (a: { ms: number }, b: { ms: number }): number => b.ms - a.ms;
  const clean = slow.filter((x) => !inGc(x)).sort(byMs);
  const all = slow.slice().sort(byMs);
  return {
    maxMs: all[0]?.ms ?? 0,
    maxNoGcMs: clean[0]?.ms ?? 0,
    top: clean.slice(0, 5).map(({ ms, size }) => ({ ms, size })),
    totalMs,
    over10ms: all.filter((x) => x.ms > 10).length,
    over10msNoGc: clean.filter((x) => x.ms > 10).length,
  };
}

/** xorshift32: the same shuffled order for both implementations. */
function shuffled<T>(xs: T[], seed: number): T[] {
  let s = seed | 0 || 1;
  const out = xs.slice();
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    const t = out[i]!;
    out[i] = out[j]!;
    out[j] = t;
  }
  return out;
}

function opsFor(impl: Impl, n: number): Record<Op, number> {
  const m = makeMap(impl);
  const all: string[] = [];
  for (let i = 0; i < n; i++) all.push(`key:${i}`);
  for (let i = 0; i < n; i++) m.set(all[i]!, i);
  const hits = shuffled(all, 12345 + n);
  const misses: string[] = [];
  for (let i = 0; i < Math.min(n, 200_000); i++) misses.push(`nokey:${i}`);
  // The server looks keys up with a string just sliced from the socket
  // buffer (its hash not yet computed, its chars in cache): the *-fresh ops.
  const text = Buffer.from(hits.join(''), 'latin1');
  const ends: number[] = [];
  let end = 0;
  for (const k of hits) ends.push((end += k.length));
  const res = {} as Record<Op, number>;
  let sink = 0;

  // get-chain: each lookup's key comes from the previous lookup's value (a
  // random cycle), so lookups cannot overlap in the CPU. That is the
  // server's case, where a request's other work sits between two lookups;
  // the tight loops below let the CPU overlap the cache misses of several.
  {
    const next = all.map((_k, i) => i);
    let s = 7 + n;
    for (let i = n - 1; i > 0; i--) {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      const j = (s >>> 0) % i;
      const t = next[i]!;
      next[i] = next[j]!;
      next[j] = t;
    }
    for (let i = 0; i < n; i++) m.set(all[i]!, next[i]!);
    let best = Infinity;
    let cur = 0;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = performance.now();
      for (let j = 0; j < OPS_PER_MEASURE; j++) cur = m.get(all[cur]!)!;
      best = Math.min(best, ((performance.now() - t0) * 1e6) / OPS_PER_MEASURE);
    }
    sink += cur;
    res['get-chain'] = best;
  }

  // Each op is its own loop (its own call sites, as in the server), timed
  // by process CPU time so that being descheduled does not count.
  const cpuMs = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const timeIt = (run: () => void): number => {
    let best = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = cpuMs();
      run();
      best = Math.min(best, ((cpuMs() - t0) * 1e6) / OPS_PER_MEASURE);
    }
    return best;
  };
  const L = hits.length;
  const fresh = (p: number): string => text.latin1Slice(p === 0 ? 0 : ends[p - 1]!, ends[p]!);
  res['get'] = timeIt(() => {
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === L ? 0 : p + 1) sink += m.get(hits[p]!) ?? 0;
  });
  res['get-fresh'] = timeIt(() => {
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === L ? 0 : p + 1) sink += m.get(fresh(p)) ?? 0;
  });
  res['set-fresh'] = timeIt(() => {
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === L ? 0 : p + 1) m.set(fresh(p), j);
  });
  res['get-miss'] = timeIt(() => {
    const ML = misses.length;
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === ML ? 0 : p + 1) sink += m.get(misses[p]!) ?? 1;
  });
  res['has'] = timeIt(() => {
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === L ? 0 : p + 1) if (m.has(hits[p]!)) sink++;
  });
  res['set-overwrite'] = timeIt(() => {
    for (let j = 0, p = 0; j < OPS_PER_MEASURE; j++, p = p + 1 === L ? 0 : p + 1) m.set(hits[p]!, j);
  });

  // Delete a batch of random keys, then add them back (new keys again), so
  // the size stays between n/2 and n and both are timed separately.
  const batch = Math.min(n >> 1, 100_000);
  let delNs = 0;
  let addNs = 0;
  let done = 0;
  let p = 0;
  while (done < OPS_PER_MEASURE) {
    if (p + batch > hits.length) p = 0;
    const t0 = performance.now();
    for (let j = p; j < p + batch; j++) sink += m.delete(hits[j]!);
    const t1 = performance.now();
    for (let j = p; j < p + batch; j++) m.set(hits[j]!, j);
    const t2 = performance.now();
    delNs += (t1 - t0) * 1e6;
    addNs += (t2 - t1) * 1e6;
    done += batch;
    p += batch;
  }
  res['delete'] = delNs / done;
  res['set-new'] = addNs / done;
  if (m.size !== n || sink === 0.5) throw new Error('map lost entries');
  return res;
}

async function child(impl: Impl, phase: string): Promise<void> {
  if (phase === 'stall') {
    process.stdout.write(JSON.stringify(await stall(impl)));
    return;
  }
  process.stdout.write(JSON.stringify(opsFor(impl, Number(phase.slice('ops:'.length)))));
}

function runChild(impl: Impl, phase: string): string {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), 'child', impl, phase], {
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`child ${impl} ${phase} failed: ${r.stderr || r.error?.message || r.signal}`);
  return r.stdout;
}

function main(): void {
  const rounds = Math.max(1, Math.min(9, Number(process.argv[2] ?? 3) || 3));
  const stalls: Record<Impl, StallResult[]> = { before: [], after: [] };
  const ops: Record<Impl, OpsResult[]> = { before: [], after: [] };
  for (let r = 0; r < rounds; r++) {
    const order: readonly Impl[] = r % 2 === 0 ? IMPLS : [...IMPLS].reverse();
    for (const impl of order) stalls[impl].push(JSON.parse(runChild(impl, 'stall')) as StallResult);
    // One child per (size, implementation), the two back to back, so both
    // see the same machine: other work on it drifts over a round.
    const byImpl: Record<Impl, OpsResult> = { before: {}, after: {} };
    for (const n of SIZES) {
      for (const impl of order) byImpl[impl][String(n)] = JSON.parse(runChild(impl, `ops:${n}`)) as Record<Op, number>;
    }
    for (const impl of IMPLS) ops[impl].push(byImpl[impl]);
  }

  console.log(`(1) longest single set() inserting ${STALL_ENTRIES} keys "key:N", ${rounds} rounds`);
  for (const impl of IMPLS) {
    const s = stalls[impl];
    console.log(
      `  ${impl.padEnd(6)} longest with no GC in it, per round: ${s.map((x) => x.maxNoGcMs.toFixed(1)).join(' ')} ms` +
        `  | inserts >10 ms with no GC: ${s.map((x) => x.over10msNoGc).join(' ')}` +
        `  | longest counting GC: ${s.map((x) => x.maxMs.toFixed(1)).join(' ')} ms` +
        `  | median total ${median(s.map((x) => x.totalMs)).toFixed(0)} ms`,
    );
    const worst = s.reduce((a, b) => (b.maxNoGcMs > a.maxNoGcMs ? b : a));
    console.log(`         longest 5 with no GC, worst round (ms @ entries before): ${worst.top.map((t) => `${t.ms.toFixed(1)}@${t.size}`).join(', ')}`);
  }

  console.log(`\n(2) ns per op, median of ${rounds} rounds (each the best of 3 x ${OPS_PER_MEASURE} ops, CPU time; get-chain (wall time) is the latency of one lookup; delete and set-new wall time)`);
  console.log(`  ${'size'.padEnd(9)}${'op'.padEnd(15)}${'before'.padStart(9)}${'after'.padStart(9)}${'after/before'.padStart(14)}`);
  for (const n of SIZES) {
    for (const op of OPS) {
      const b = median(ops.before.map((x) => x[String(n)]![op]));
      const a = median(ops.after.map((x) => x[String(n)]![op]));
      console.log(`  ${String(n).padEnd(9)}${op.padEnd(15)}${b.toFixed(1).padStart(9)}${a.toFixed(1).padStart(9)}${(a / b).toFixed(3).padStart(14)}`);
    }
  }
}

if (process.argv[2] === 'child') await child(process.argv[3] as Impl, process.argv[4] ?? 'stall');
else main();
