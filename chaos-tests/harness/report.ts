// Results of chaos runs: one JSON file per run, a one-line summary, and the
// suite table (per scenario and mode: runs, median and max recovery time,
// acknowledged writes lost) saved as results/latest.md and latest.json.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from '../../coordinator/src/local/status.js';
import type { RunResult } from './run-scenario.js';

export function writeRunJson(dir: string, r: RunResult): string {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.startedAt.replace(/[:.]/g, '-')}-${r.server}-${r.scenario}-${r.mode}-${r.run}.json`);
  writeFileSync(file, JSON.stringify(r, null, 2) + '\n');
  return file;
}

const ms = (v: number | undefined): string => (v === undefined ? '-' : `${v} ms`);

export function summaryLine(r: RunResult): string {
  const errs = Object.entries(r.errorsByKind).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';
  const lost = r.verdict ? `${r.verdict.ackedWritesLost} of ${r.verdict.setsAcked + r.verdict.incrsAcked} acked writes lost` : 'writes not checked';
  const rejoin = r.oldPrimaryRejoinedAsReplica === undefined ? '' : `, old primary rejoined as replica ${r.oldPrimaryRejoinedAsReplica ? 'yes' : 'NO'}`;
  return `[${r.server} ${r.scenario} ${r.mode} ${r.topology} #${r.run}] ${r.fault}: failover ${ms(r.failoverMs)}, first write on affected slots ${ms(r.recoveryMs)}, `
    + `unavailable ${ms(r.unavailableMs)}, ${lost}, client errors {${errs}}, converged ${r.converged ? 'yes' : 'NO'}, check ${r.checkClean ? 'clean' : 'NOT clean'}${rejoin}`
    + (r.error ? `, ERROR ${r.error}` : '');
}

export interface TableRow {
  readonly scenario: string;
  readonly mode: string;
  readonly topology: string;
  readonly server: string;
  readonly runs: number;
  readonly recoveryMedianMs?: number;
  readonly recoveryMaxMs?: number;
  readonly failoverMedianMs?: number;
  readonly ackedWritesLostTotal: number;
  readonly ackedWritesLostMax: number;
  readonly ackedWrites: number;
  readonly converged: number;
  readonly rejoined: string;
  readonly errors: number;
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : Math.round(((s[m - 1] ?? 0) + (s[m] ?? 0)) / 2);
}

export function aggregate(results: readonly RunResult[]): TableRow[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of results) {
    const k = `${r.server}\0${r.scenario}\0${r.mode}\0${r.topology}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups.values()].map((rs) => {
    const first = rs[0] as RunResult;
    const rec = rs.flatMap((r) => (r.recoveryMs === undefined ? [] : [r.recoveryMs]));
    const fo = rs.flatMap((r) => (r.failoverMs === undefined ? [] : [r.failoverMs]));
    const lost = rs.map((r) => r.ackedWritesLost ?? 0);
    const rejoinKnown = rs.filter((r) => r.oldPrimaryRejoinedAsReplica !== undefined);
    const rm = median(rec);
    const fm = median(fo);
    return {
      scenario: first.scenario, mode: first.mode, topology: first.topology, server: first.server, runs: rs.length,
      ...(rm !== undefined ? { recoveryMedianMs: rm, recoveryMaxMs: Math.max(...rec) } : {}),
      ...(fm !== undefined ? { failoverMedianMs: fm } : {}),
      ackedWritesLostTotal: lost.reduce((a, b) => a + b, 0), ackedWritesLostMax: Math.max(...lost),
      ackedWrites: rs.reduce((a, r) => a + (r.verdict ? r.verdict.setsAcked + r.verdict.incrsAcked : 0), 0),
      converged: rs.filter((r) => r.converged && r.checkClean).length,
      rejoined: rejoinKnown.length === 0 ? 'n/a' : `${rejoinKnown.filter((r) => r.oldPrimaryRejoinedAsReplica).length}/${rejoinKnown.length}`,
      errors: rs.filter((r) => r.error !== undefined).length,
    };
  });
}

export function formatSuiteTable(rows: readonly TableRow[]): string {
  return formatTable(
    ['SERVER', 'SCENARIO', 'MODE', 'TOPOLOGY', 'RUNS', 'RECOVERY MEDIAN', 'RECOVERY MAX', 'FAILOVER MEDIAN', 'ACKED LOST (TOTAL/MAX RUN)', 'ACKED WRITES', 'CONVERGED+CLEAN', 'OLD PRIMARY REJOINED', 'RUN ERRORS'],
    rows.map((r) => [r.server, r.scenario, r.mode, r.topology, String(r.runs), ms(r.recoveryMedianMs), ms(r.recoveryMaxMs), ms(r.failoverMedianMs),
      `${r.ackedWritesLostTotal}/${r.ackedWritesLostMax}`, String(r.ackedWrites), `${r.converged}/${r.runs}`, r.rejoined, String(r.errors)]),
  );
}

export function writeLatest(dir: string, results: readonly RunResult[], skipped: readonly string[], header: string): { md: string; json: string } {
  mkdirSync(dir, { recursive: true });
  const rows = aggregate(results);
  const md = path.join(dir, 'latest.md');
  const json = path.join(dir, 'latest.json');
  const lines = [
    `# Chaos suite results`, '', header, '', '```', formatSuiteTable(rows), '```', '',
    'Recovery = fault to the first acknowledged write on the affected slots (writes started after the fault; after the failover for a partition). Failover = fault to a surviving node seeing the slots owned by a new primary. Acked lost = acknowledged SETs missing plus acknowledged INCRs not reflected in the final counter.',
    '', '## Runs', '', ...results.map((r) => `- ${summaryLine(r).replace(/\n/g, ' ')}`),
    ...(skipped.length > 0 ? ['', '## Skipped', '', ...skipped.map((s) => `- ${s}`)] : []), '',
  ];
  writeFileSync(md, lines.join('\n'));
  writeFileSync(json, JSON.stringify({ header, table: rows, runs: results, skipped }, null, 2) + '\n');
  return { md, json };
}
