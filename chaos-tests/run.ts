// `npm run chaos`: the full chaos suite with repetitions, without mocha, so
// it can print one table at the end. Every scenario runs in asynchronous and
// synchronous mode (sync skipped for redis-server), `--runs` times each; each
// run is judged with the same assertions as the mocha specs, its JSON goes
// to chaos-tests/results/runs/, and the table to chaos-tests/results/latest.md
// and latest.json. Exit code 1 when any run fails its assertions.
//
//   node dist/chaos-tests/run.js [--server tessera|redis] [--runs N] [--only a,b]
//        [--modes async,sync] [--node-timeout MS] [--base-port P] [--wait]

import path from 'node:path';
import { REPO_ROOT } from '../coordinator/src/local/cluster.js';
import { ALL_SCENARIOS, scenarioByName } from './harness/scenarios.js';
import { chaosEnv } from './harness/env.js';
import { runScenario, type Mode, type RunResult } from './harness/run-scenario.js';
import { summaryLine, writeLatest, writeRunJson, formatSuiteTable, aggregate } from './harness/report.js';
import { assertRun, skipReason } from './harness/spec.js';

function parseArgs(argv: readonly string[]): Map<string, string> {
  const m = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (a === '--wait') m.set(a, '1');
    else if (a.startsWith('--') && argv[i + 1] !== undefined) m.set(a, argv[++i] ?? '');
    else throw new Error(`bad argument ${a}`);
  }
  return m;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  // Flags override the CHAOS_* environment, which chaosEnv() reads.
  const toEnv: Record<string, string> = { '--server': 'CHAOS_SERVER', '--runs': 'CHAOS_RUNS', '--node-timeout': 'CHAOS_NODE_TIMEOUT_MS', '--base-port': 'CHAOS_BASE_PORT', '--wait': 'CHAOS_WAIT' };
  for (const [flag, name] of Object.entries(toEnv)) {
    const v = args.get(flag);
    if (v !== undefined) process.env[name] = v;
  }
  const env = chaosEnv();
  const scenarios = args.has('--only') ? (args.get('--only') ?? '').split(',').map(scenarioByName) : ALL_SCENARIOS;
  const modes = (args.get('--modes') ?? 'async,sync').split(',') as Mode[];
  const results: RunResult[] = [];
  const skipped: string[] = [];
  const failures: string[] = [];
  for (const s of scenarios) {
    for (const mode of modes) {
      const why = skipReason(s, mode, env.server);
      if (why !== undefined) {
        skipped.push(`${s.name} ${mode}: ${why}`);
        console.log(`[${env.server} ${s.name} ${mode}] skipped: ${why}`);
        continue;
      }
      for (let run = 1; run <= env.runs; run++) {
        const r = await runScenario(s, { env, mode, run });
        results.push(r);
        writeRunJson(env.resultsDir, r);
        console.log(summaryLine(r));
        try {
          assertRun(s, r);
        } catch (e) {
          const msg = `${s.name} ${mode} #${run}: ${(e as Error).message}`;
          failures.push(msg);
          console.log(`  FAILED: ${(e as Error).message}${r.dataDir !== '(removed)' ? ` (data and logs: ${r.dataDir})` : ''}`);
        }
      }
    }
  }
  const header = `Server ${env.server}, cluster-node-timeout ${env.nodeTimeoutMs} ms, ${env.runs} run(s) per scenario and mode${env.wait ? ', writers use WAIT 1' : ''}, ${new Date().toISOString()}. ${failures.length} failed run(s).`;
  const out = writeLatest(path.join(REPO_ROOT, 'chaos-tests/results'), results, [...skipped, ...failures.map((f) => `FAILED ${f}`)], header);
  console.log(`\n${header}\n${formatSuiteTable(aggregate(results))}\n\nSaved ${out.md} and ${out.json}`);
  for (const f of failures) console.log(`FAILED ${f}`);
  return failures.length === 0 ? 0 : 1;
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e);
  process.exit(1);
});
