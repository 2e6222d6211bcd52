// Turns measurements into the checks (each a ratio of tessera to
// redis-server measured in the same run) and renders them as markdown.

import type { Sample } from './benchmark.js';

export interface SideResult {
  /** One entry per round: a sample or the error that round hit. */
  rounds: ({ sample: Sample } | { error: string })[];
  /** Median over the rounds that produced a sample; null if none did. */
  median: Sample | null;
}

export interface ThroughputLine {
  test: string;
  pipeline: number;
  tessera: SideResult;
  redis: SideResult;
}

export interface MemoryResult {
  keys: number;
  valueBytes: number;
  tessera: MemorySide;
  redis: MemorySide;
}

export interface MemorySide {
  baselineRssBytes: number;
  rssBytes: number;
  usedMemoryBytes: number | null;
  dbsize: number;
  loadSeconds: number;
  errors: number;
  firstError: string | null;
}

export interface EvictionSide {
  maxmemoryBytes: number;
  writtenBytes: number;
  keysWritten: number;
  rssBytes: number;
  peakRssBytes: number;
  usedMemoryBytes: number | null;
  dbsize: number;
  evictedKeys: number | null;
  errors: number;
  firstError: string | null;
  loadSeconds: number;
}

export interface Check {
  name: string;
  tessera: string;
  redis: string;
  ratio: number | null;
  target: string;
  pass: boolean;
  note: string;
}

export type Comparison = { atLeast: number } | { atMost: number };

export function compare(ratio: number | null, c: Comparison): boolean {
  if (ratio === null || !Number.isFinite(ratio)) return false;
  return 'atLeast' in c ? ratio >= c.atLeast : ratio <= c.atMost;
}

export function targetText(c: Comparison): string {
  return 'atLeast' in c ? `>= ${c.atLeast}` : `<= ${c.atMost}`;
}

/** The throughput target for a line. */
export function rpsTarget(test: string, pipeline: number): Comparison {
  if (test === 'GET' || test === 'SET') return { atLeast: pipeline === 1 ? 0.8 : 0.5 };
  return { atLeast: 0.5 };
}

/** p99 latency is judged at pipeline 1 only. */
export const P99_TARGET: Comparison = { atMost: 2 };
export const MEMORY_TARGET: Comparison = { atMost: 2.5 };
/**
 * The issue asks that eviction keep the process "near" maxmemory without a
 * number; the bench uses the memory allowance (2.5x) so that a process that
 * keeps growing past its limit shows up as a MISS.
 */
export const EVICTION_TARGET: Comparison = { atMost: 2.5 };

export const mb = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(1);
const fmtRps = (n: number): string => Math.round(n).toLocaleString('en-US');
const fmtMs = (n: number): string => n.toFixed(3);
const fmtRatio = (r: number | null): string => (r === null || !Number.isFinite(r) ? 'n/a' : r.toFixed(2));

function firstError(side: SideResult): string {
  for (const r of side.rounds) if ('error' in r) return r.error;
  return '';
}

function failedRounds(side: SideResult): number {
  return side.rounds.filter((r) => 'error' in r).length;
}

export function throughputChecks(lines: readonly ThroughputLine[]): Check[] {
  const checks: Check[] = [];
  for (const l of lines) {
    const t = l.tessera.median;
    const r = l.redis.median;
    const notes: string[] = [];
    if (failedRounds(l.tessera) > 0) notes.push(`tessera ${failedRounds(l.tessera)}/${l.tessera.rounds.length} rounds failed: ${firstError(l.tessera)}`);
    if (failedRounds(l.redis) > 0) notes.push(`redis ${failedRounds(l.redis)}/${l.redis.rounds.length} rounds failed: ${firstError(l.redis)}`);
    const note = notes.join('; ');
    const rpsRatio = t && r ? t.rps / r.rps : null;
    const rt = rpsTarget(l.test, l.pipeline);
    checks.push({
      name: `${l.test} P${l.pipeline} rps`,
      tessera: t ? fmtRps(t.rps) : 'error',
      redis: r ? fmtRps(r.rps) : 'error',
      ratio: rpsRatio,
      target: targetText(rt),
      pass: compare(rpsRatio, rt),
      note,
    });
    if (l.pipeline === 1) {
      const p99Ratio = t && r ? t.p99Ms / r.p99Ms : null;
      checks.push({
        name: `${l.test} P1 p99 ms`,
        tessera: t ? fmtMs(t.p99Ms) : 'error',
        redis: r ? fmtMs(r.p99Ms) : 'error',
        ratio: p99Ratio,
        target: targetText(P99_TARGET),
        pass: compare(p99Ratio, P99_TARGET),
        note,
      });
    }
  }
  return checks;
}

export function memoryCheck(m: MemoryResult): Check {
  const ratio = m.tessera.rssBytes / m.redis.rssBytes;
  const notes: string[] = [];
  for (const [name, s] of [['tessera', m.tessera], ['redis', m.redis]] as const) {
    if (s.dbsize !== m.keys) notes.push(`${name} dbsize ${s.dbsize}`);
    if (s.errors > 0) notes.push(`${name} ${s.errors} errors: ${s.firstError ?? ''}`);
  }
  return {
    name: `RSS, ${m.keys.toLocaleString('en-US')} keys (MB)`,
    tessera: mb(m.tessera.rssBytes),
    redis: mb(m.redis.rssBytes),
    ratio,
    target: targetText(MEMORY_TARGET),
    pass: compare(ratio, MEMORY_TARGET) && notes.length === 0,
    note: notes.join('; '),
  };
}

export function evictionCheck(tessera: EvictionSide, redis: EvictionSide | null): Check {
  const ratio = tessera.rssBytes / tessera.maxmemoryBytes;
  const notes = [`peak ${(tessera.peakRssBytes / tessera.maxmemoryBytes).toFixed(2)}x`, `dbsize ${tessera.dbsize}`, `evicted_keys ${tessera.evictedKeys ?? 'n/a'}`];
  if (tessera.errors > 0) notes.push(`${tessera.errors} errors: ${tessera.firstError ?? ''}`);
  return {
    name: `RSS / maxmemory ${mb(tessera.maxmemoryBytes)} MB after ${mb(tessera.writtenBytes)} MB written`,
    tessera: ratio.toFixed(2),
    redis: redis ? (redis.rssBytes / redis.maxmemoryBytes).toFixed(2) : 'n/a',
    ratio,
    target: `${targetText(EVICTION_TARGET)} (tessera)`,
    pass: compare(ratio, EVICTION_TARGET) && tessera.errors === 0,
    note: notes.join(', '),
  };
}

export function renderThroughput(lines: readonly ThroughputLine[]): string {
  const out = [
    '| test | P | tessera rps | redis rps | ratio | tessera p50 ms | redis p50 ms | tessera p99 ms | redis p99 ms | p99 ratio | tessera req/CPU-s | redis req/CPU-s | CPU ratio |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const l of lines) {
    const t = l.tessera.median;
    const r = l.redis.median;
    out.push(
      `| ${l.test} | ${l.pipeline} | ${t ? fmtRps(t.rps) : 'error'} | ${r ? fmtRps(r.rps) : 'error'} | ${fmtRatio(t && r ? t.rps / r.rps : null)} | ` +
        `${t ? fmtMs(t.p50Ms) : '-'} | ${r ? fmtMs(r.p50Ms) : '-'} | ${t ? fmtMs(t.p99Ms) : '-'} | ${r ? fmtMs(r.p99Ms) : '-'} | ${fmtRatio(t && r ? t.p99Ms / r.p99Ms : null)} | ` +
        `${t?.rpsPerCpu ? fmtRps(t.rpsPerCpu) : '-'} | ${r?.rpsPerCpu ? fmtRps(r.rpsPerCpu) : '-'} | ${fmtRatio(t?.rpsPerCpu && r?.rpsPerCpu ? t.rpsPerCpu / r.rpsPerCpu : null)} |`,
    );
  }
  return out.join('\n');
}

export function renderChecks(checks: readonly Check[]): string {
  const out = ['| check | tessera | redis | ratio | target | result | note |', '|---|---:|---:|---:|---|---|---|'];
  for (const c of checks) {
    out.push(`| ${c.name} | ${c.tessera} | ${c.redis} | ${fmtRatio(c.ratio)} | ${c.target} | ${c.pass ? 'PASS' : '**MISS**'} | ${c.note.replace(/\|/g, '/')} |`);
  }
  return out.join('\n');
}
