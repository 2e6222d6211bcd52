// Seeded sweeps of the cluster simulator (npm run sim -- ...):
//   --nodes N --seed S            one formation measurement (replays a test failure)
//   --nodes N --seeds 1-50        a sweep; prints each failing seed with its replay command
//   --loss 0.02 [--dup 0.05]      message loss (and duplication, scripts only)
//   --script file.txt [--seed S]  run a transcript (see transcript.ts), printing its log
//   --failover SCENARIO --shards S --replicas R --timeout T --seed N [--preformed] [--trace]
//                                 one failover scenario with its log (replays a test failure);
//                                 --trace adds every election event
//   --failover sweep [--seeds 1-1000] [--timeout 1000]
//                                 the CI shapes (3 x 1 .. 10 x 2, every scenario) over many seeds
//   (no arguments)                the long failover sweep: seeds 1-1000
import { readFileSync } from 'node:fs';
import { ciShape, runFailoverScenario, SCENARIOS, summarizeFailovers, type FailoverSimResult, type Scenario } from './failover.js';
import { loadSizer, SimNetwork } from './network.js';
import { formatResult, measureFormation } from './measure.js';
import { runTranscript } from './transcript.js';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
}

function failoverMain(which: string): number {
  const timeout = Number(arg('timeout') ?? 1000);
  if (which !== 'sweep') {
    if (!(SCENARIOS as readonly string[]).includes(which)) {
      console.log(`unknown scenario ${which}; one of ${SCENARIOS.join(', ')}, or sweep`);
      return 2;
    }
    const r = runFailoverScenario({
      scenario: which as Scenario,
      seed: Number(arg('seed') ?? 1),
      shards: Number(arg('shards') ?? 3),
      replicas: Number(arg('replicas') ?? 1),
      nodeTimeoutMs: timeout,
      ...(process.argv.includes('--preformed') ? { preformed: true } : {}),
      ...(process.argv.includes('--trace') ? { traceElections: true } : {}),
      log: (l) => console.log(l),
    });
    for (const p of r.promotions) console.log(`promotion: ${p.newPrimary} for ${p.oldPrimary}: fault -> promotion ${p.faultToPromotionMs} ms, -> first write ${p.faultToWriteMs} ms`);
    console.log(`elections: ${Object.entries(r.electionCounts).map(([k, n]) => `${k} ${n}`).join(', ') || '-'}`);
    for (const f of r.failures) console.log(`FAIL: ${f}`);
    return r.failures.length === 0 ? 0 : 1;
  }
  const [lo, hi] = (arg('seeds') ?? '1-1000').split('-').map(Number) as [number, number?];
  const results: FailoverSimResult[] = [];
  let failures = 0;
  for (let seed = lo; seed <= (hi ?? lo); seed++) {
    const r = runFailoverScenario({ ...ciShape(seed), seed, nodeTimeoutMs: timeout });
    results.push(r);
    if (r.failures.length > 0) {
      failures++;
      console.log(`FAIL seed ${seed} (${r.opts.scenario} ${r.opts.shards} x ${r.opts.replicas}): ${r.failures[0]}\n  replay: ${r.replay}`);
    }
  }
  console.log(summarizeFailovers(results));
  console.log(`${results.length} seeds, ${failures} failing`);
  return failures === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const fo = arg('failover') ?? (process.argv.length <= 2 ? 'sweep' : undefined);
  if (fo) return failoverMain(fo);
  const { sizer, source } = await loadSizer();
  const script = arg('script');
  if (script) {
    const seed = Number(arg('seed') ?? 1);
    const net = new SimNetwork({ seed, sizer, lossRate: Number(arg('loss') ?? 0), duplicateRate: Number(arg('dup') ?? 0), nodeTimeoutMs: Number(arg('timeout') ?? 2000) });
    try {
      runTranscript(net, readFileSync(script, 'utf8'), (l) => console.log(l));
      console.log(`ok (seed ${seed}, ${net.totals.msgs} messages)`);
      return 0;
    } catch (e) {
      console.log(`FAIL seed ${seed}: ${(e as Error).message}\nreplay: npm run sim -- --script ${script} --seed ${seed}`);
      return 1;
    }
  }
  const nodes = Number(arg('nodes') ?? 30);
  const loss = Number(arg('loss') ?? 0);
  const [lo, hi] = (arg('seeds') ?? arg('seed') ?? '1').split('-').map(Number) as [number, number?];
  console.log(`bytes: ${source}`);
  let failures = 0;
  for (let seed = lo; seed <= (hi ?? lo); seed++) {
    const r = measureFormation(nodes, seed, sizer, { lossRate: loss });
    const bad = r.ticksToConverge < 0 || r.difference !== null || r.newNodeTicks < 0 || r.slotMoveTicks < 0;
    console.log(`${bad ? 'FAIL' : 'ok  '} seed ${seed}: ${formatResult(r)}`);
    if (bad) {
      failures++;
      console.log(`  ${r.difference ?? ''}\n  replay: npm run sim -- --nodes ${nodes} --seed ${seed}${loss ? ` --loss ${loss}` : ''}`);
    }
  }
  return failures === 0 ? 0 : 1;
}

main().then((code) => process.exit(code));
