// Declares the mocha tests of one scenario, in asynchronous and synchronous
// replication mode, with the suite's assertions:
//   - every run ends converged, with full slot coverage and a clean
//     `redis-cli --cluster check`;
//   - synchronous mode loses no acknowledged write in a single-failure scenario;
//   - a killed/paused/partitioned primary comes back as a replica (except
//     where redis-server 7.0 is known not to; recorded for redis);
//   - no counter ends above its attempted increments, no key holds a foreign value.
// Asynchronous loss is reported (summary line and JSON), not asserted away.

import assert from 'node:assert/strict';
import { chaosEnv } from './env.js';
import { partitionUnavailableReason } from './iptables.js';
import { writeRunJson, summaryLine } from './report.js';
import { runScenario, type Mode, type RunResult } from './run-scenario.js';
import type { Scenario } from './scenarios.js';

/** Results of this process's runs, for a caller that wants the table. */
export const collected: RunResult[] = [];

export function skipReason(s: Scenario, mode: Mode, server: string): string | undefined {
  if (mode === 'sync' && server === 'redis') return 'synchronous replication (cluster-sync-replication) is a tessera feature; redis-server has none';
  if (s.needsRoot) return partitionUnavailableReason();
  return undefined;
}

export function assertRun(s: Scenario, r: RunResult): void {
  assert.equal(r.error, undefined, `run failed: ${r.error}`);
  assert.ok(r.converged, `cluster did not converge: ${r.convergeReason}`);
  assert.ok(r.checkClean, `redis-cli --cluster check not clean: ${r.notes.join('\n')}`);
  assert.ok(r.verdict, 'writes were not checked');
  assert.equal(r.verdict.setsCorrupt, 0, 'keys hold values no write wrote');
  assert.equal(r.verdict.incrsExcess, 0, 'counters above their attempted increments');
  if (r.mode === 'sync' && s.singleFailure) assert.equal(r.verdict.ackedWritesLost, 0, `synchronous mode lost ${r.verdict.ackedWritesLost} acknowledged writes: ${r.verdict.lostExamples.join('; ')}`);
  const rejoinExempt = r.server === 'redis' && s.redisKnownToFailRejoin !== undefined;
  if (r.oldPrimaryRejoinedAsReplica !== undefined && !rejoinExempt) assert.ok(r.oldPrimaryRejoinedAsReplica, `old primary did not rejoin as a replica: ${r.notes.join('; ')}`);
  assert.ok(r.victimsRejoined || rejoinExempt, 'a victim did not come back into the cluster');
}

export function defineChaosSpec(s: Scenario): void {
  const env = chaosEnv();
  describe(`chaos: ${s.title} [${env.server}, node timeout ${env.nodeTimeoutMs} ms]`, function () {
    this.timeout(300000);
    for (const mode of ['async', 'sync'] as const) {
      for (let run = 1; run <= env.runs; run++) {
        it(`${s.name} ${mode}${env.runs > 1 ? ` #${run}` : ''}`, async function () {
          const why = skipReason(s, mode, env.server);
          if (why !== undefined) {
            console.log(`      skipped: ${why}`);
            this.skip();
          }
          const r = await runScenario(s, { env, mode, run });
          collected.push(r);
          const file = writeRunJson(env.resultsDir, r);
          console.log(`      ${summaryLine(r)}\n      result: ${file}${r.dataDir !== '(removed)' ? `, data and logs: ${r.dataDir}` : ''}`);
          if (r.server === 'redis' && s.redisKnownToFailRejoin && r.oldPrimaryRejoinedAsReplica === false) console.log(`      known redis behaviour: ${s.redisKnownToFailRejoin}`);
          assertRun(s, r);
        });
      }
    }
  });
}
