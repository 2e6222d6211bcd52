// Human-readable report of a differential run: the per-command table (which
// is what routes fixes to owners), coverage shortfalls, and the first
// differences in full with the command that produced them.

import type { RunResult } from './runner.js';

export function coverageShortfall(result: RunResult, minPerCommand: number): string[] {
  const out: string[] = [];
  for (const [name, n] of result.coverage) if (n < minPerCommand) out.push(`${name} (${n})`);
  return out;
}

export function formatReport(result: RunResult, opts: { maxDiffs?: number; minPerCommand?: number; skipMissing?: boolean } = {}): string {
  const lines: string[] = [];
  const replay = `npm run difftest -- --seed ${result.seed} --count ${result.count} --resp ${result.resp}${opts.skipMissing ? ' --skip-missing yes' : ''}`;
  lines.push(
    `differential run: seed ${result.seed}, RESP${result.resp}, ${result.commands} commands in ${result.steps} steps, ` +
      `${result.diffCount} difference(s), ${(result.elapsedMs / 1000).toFixed(1)} s`,
  );
  lines.push(`replay: ${replay}`);
  if (result.fatal) lines.push(`RUN STOPPED EARLY: ${result.fatal}`);
  if (result.missing.length) lines.push(`tessera does not have (${result.missing.length}): ${result.missing.join(' ')}`);
  const short = coverageShortfall(result, opts.minPerCommand ?? 50);
  if (short.length) lines.push(`coverage below minimum: ${short.join(', ')}`);
  const withDiffs = [...result.perCommand].filter(([, s]) => s.diffs > 0).sort((a, b) => b[1].diffs - a[1].diffs || a[0].localeCompare(b[0]));
  if (withDiffs.length) {
    lines.push('', 'differences per command (command: differing / issued, first example):');
    for (const [name, s] of withDiffs) {
      const first = result.diffs.find((d) => d.name === name);
      const ex = first ? `  e.g. step ${first.step}: ${fmtCmd(first.command)} -> redis ${clip(first.redis)} | tessera ${clip(first.tessera)}` : '';
      lines.push(`  ${name}: ${s.diffs} / ${s.issued}${ex}`);
    }
  }
  const shown = result.diffs.slice(0, opts.maxDiffs ?? 50);
  if (shown.length) {
    lines.push('', `first ${shown.length} difference(s):`);
    for (const d of shown) {
      lines.push(`#${d.step} ${d.name}: ${fmtCmd(d.command)}`);
      lines.push(`    ${d.note}`);
      lines.push(`    redis:   ${d.redis}`);
      lines.push(`    tessera: ${d.tessera}`);
    }
  }
  return lines.join('\n');
}

export function fmtCmd(args: readonly string[]): string {
  return args.map((a) => (/^[\x21-\x7e]+$/.test(a) && !a.includes('"') ? a : JSON.stringify(a))).join(' ');
}

function clip(s: string, n = 160): string {
  return s.length > n ? `${s.slice(0, n)}...` : s;
}
