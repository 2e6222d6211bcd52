// The differential test of the issue: one seeded sequence of >= 20,000
// commands, every command of the table >= 50 times, sent to tessera-server and
// to redis-server 7.0; the replies must be identical after the normalisations
// described in docs/differential.md. Then a shorter pass in RESP3.
// Replay a failure with `npm run difftest -- --seed N --count M [--resp 3]`.

import assert from 'node:assert/strict';
import { startServer, type ServerHandle } from '../support/server-process.js';
import { runDifferential, type RunResult } from '../differential/runner.js';
import { coverageShortfall, formatReport } from '../differential/report.js';
import { MIN_PER_COMMAND, commandCount, coverage, generate } from '../differential/sequence.js';

const SEED = Number(process.env.DIFFTEST_SEED ?? 20240601);
const COUNT = 20000;
const RESP3_COUNT = 6000;
const SHOWN_DIFFS = 40;

function assertNoDiffs(result: RunResult): void {
  if (result.diffCount === 0 && !result.fatal) return;
  assert.fail(`tessera differs from redis-server:\n${formatReport(result, { maxDiffs: SHOWN_DIFFS, minPerCommand: 0 })}`);
}

describe('differential: tessera-server vs redis-server 7.0', function () {
  this.timeout(120000);
  let redis: ServerHandle | undefined;
  let redis2: ServerHandle | undefined;
  let tessera: ServerHandle | undefined;

  before(async () => {
    // hz 500: blocked clients time out within ~2 ms of their deadline, which keeps the timeout paths fast.
    [redis, redis2, tessera] = await Promise.all([
      startServer(['--hz', '500'], { binary: 'redis' }),
      startServer(['--hz', '500'], { binary: 'redis' }),
      startServer([]),
    ]);
  });
  after(async () => {
    await Promise.all([redis?.stop(), redis2?.stop(), tessera?.stop()]);
  });

  it(`the sequence has >= ${COUNT} commands and every command of the table >= ${MIN_PER_COMMAND} times`, () => {
    const steps = generate(SEED, COUNT);
    assert.ok(commandCount(steps) >= COUNT, `only ${commandCount(steps)} commands`);
    const short = [...coverage(steps)].filter(([, n]) => n < MIN_PER_COMMAND).map(([name, n]) => `${name} (${n})`);
    assert.deepEqual(short, [], `commands issued fewer than ${MIN_PER_COMMAND} times`);
  });

  it('the checker finds no difference between redis-server and itself', async () => {
    // Guards the harness: anything timing- or randomness-dependent that slipped into the generator shows up here.
    const result = await runDifferential(redis!, redis2!, { seed: SEED + 1, count: 4000, minPerCommand: 5, resp: 2, flushFirst: true });
    if (result.diffCount || result.fatal) assert.fail(`redis vs redis:\n${formatReport(result, { maxDiffs: SHOWN_DIFFS, minPerCommand: 0 })}`);
  });

  it(`RESP2: seed ${SEED}, ${COUNT} commands give identical replies`, async () => {
    const result = await runDifferential(redis!, tessera!, { seed: SEED, count: COUNT, resp: 2, flushFirst: true });
    assert.deepEqual(coverageShortfall(result, MIN_PER_COMMAND), []);
    assertNoDiffs(result);
  });

  it(`RESP3 (HELLO 3): seed ${SEED + 2}, ${RESP3_COUNT} commands give identical replies`, async () => {
    const result = await runDifferential(redis!, tessera!, { seed: SEED + 2, count: RESP3_COUNT, minPerCommand: 10, resp: 3, flushFirst: true });
    assertNoDiffs(result);
  });
});
