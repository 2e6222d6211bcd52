// Formation through a single seed at 3, 30 and 1,500 nodes, in the seeded
// simulator: identical node tables and slot maps within a justified bound
// (convergenceBoundTicks in sim/measure.ts, also in docs/cluster-bus.md),
// and the bus cost printed. A failure prints the seed and the replay command.
// The 3- and 30-node runs deliver every message through the real protobuf
// codec, as the gRPC bus does, and must match the same seed delivered
// directly: a field the codec drops changes the run (with the codec that
// dropped the anti-entropy fields, 30 nodes took 55 ticks instead of 10, still
// inside the bound, so the bound alone would not have noticed).
import assert from 'node:assert/strict';
import { loadSizer, withNetworkDefaults, type MessageSizer } from '../sim/network.js';
import { formatResult, measureFormation } from '../sim/measure.js';

describe('cluster sim: formation through one seed', function () {
  // The 1,500-node case costs about 80 s of CPU (1,500 cores, 2.25 M node
  // records, 3 GB); on a loaded 2-core machine it needs minutes of wall time.
  this.timeout(600_000);
  let sizer: MessageSizer;
  before(async () => {
    const s = await loadSizer();
    sizer = s.sizer;
    console.log(`      (bytes: ${s.source})`);
  });

  for (const [n, seed] of [
    [3, 11],
    [30, 12],
    [1500, 13],
  ] as const) {
    it(`${n} nodes converge to identical tables and slot maps`, () => {
      // At 1,500 nodes: views compared in full on 25 nodes (every node's digest is compared), 5 s steady window.
      const r = n > 100 ? measureFormation(n, seed, sizer, { deepCheckSample: 25, steadySecs: 5 }) : withNetworkDefaults({ codec: true }, () => measureFormation(n, seed, sizer));
      console.log(`      ${formatResult(r)}${n > 100 ? '' : ' (through the codec)'}`);
      const replay = `npm run sim -- --nodes ${n} --seed ${seed}`;
      // 1,500 nodes through the codec would add about a minute; the small runs cover the fields.
      if (n <= 100) assert.deepEqual(r, measureFormation(n, seed, sizer), `seed ${seed}: the codec changes the run (a field lost on the wire?); replay: ${replay}`);
      assert.ok(r.ticksToConverge >= 0, `seed ${seed}: not converged within ${r.boundTicks} ticks; replay: ${replay}`);
      assert.equal(r.difference, null, `seed ${seed}: ${r.difference}; replay: ${replay}`);
      assert.ok(r.newNodeTicks >= 0, `seed ${seed}: a new node was not known everywhere within the bound; replay: ${replay}`);
      assert.ok(r.slotMoveTicks >= 0, `seed ${seed}: a slot move did not reach everyone within the bound; replay: ${replay}`);
      // The point of the design: a node's steady cost does not grow with N.
      assert.ok(r.steadyMsgsPerNodePerSec < 15, `steady ${r.steadyMsgsPerNodePerSec} msgs/s per node`);
    });
  }
});
