// Failure detection, epochs, slot conflicts and cluster_state, as transcripts
// run by the simulator (node timeout 2000 ms, ticks of 100 ms, seeded). A
// failing test prints the seed; `npm run sim -- --seed N --script <file>`
// replays it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimNetwork } from '../sim/network.js';
import { runTranscript } from '../sim/transcript.js';

const SIX_NODES = `
add-nodes 6
set-config-epochs
meet all via n1
addslots-split 0-16383 n1..n3
expect converged within 100
tick 30
expect state n1 ok
expect state n6 ok
`;

/** Runs a transcript; on failure, saves it and says how to replay it. */
function run(script: string, seed = 1, opts: { lossRate?: number; duplicateRate?: number } = {}): SimNetwork {
  const net = new SimNetwork({ seed, nodeTimeoutMs: 2000, ...opts });
  try {
    runTranscript(net, script);
  } catch (e) {
    const file = join(tmpdir(), `tessera-sim-seed-${seed}.txt`);
    writeFileSync(file, script);
    const loss = opts.lossRate ? ` --loss ${opts.lossRate}` : '';
    throw new Error(`seed ${seed}: ${(e as Error).message}\nreplay: npm run sim -- --script ${file} --seed ${seed} --timeout 2000${loss}`);
  }
  return net;
}

describe('cluster core: failure detection', () => {
  it('a dead slot owner goes PFAIL, then FAIL on a majority of primaries, and cluster_state fails', () => {
    const net = run(`${SIX_NODES}
kill n3
tick 12
expect n1 sees n3 ok
tick 60
expect n1 sees n3 fail
expect n2 sees n3 fail
expect n6 sees n3 fail
expect state n1 fail
expect state n5 fail
`);
    const failEvents = net.events.filter((e) => e.name === 'node-fail');
    assert.ok(failEvents.some((e) => e.fields['why'] === 'quorum'), 'someone reached the quorum itself');
    assert.ok(net.totals.byKind.get('fail')!.msgs > 0, 'FAIL was broadcast');
  });

  it('a node resuming from a pause blames its own stall, not its peers (no PFAIL for healthy nodes)', () => {
    // n1 is stopped for 1.9 s (node timeout 2 s): its outstanding probes are
    // then older than the timeout, but the time was its own.
    const net = run(`${SIX_NODES}
kill n1
tick 19
revive n1
tick 40
expect n1 sees n2 ok
expect n1 sees n3 ok
`);
    const pausedAt = net.events.find((e) => e.name === 'own-stall' && e.node === 'n1');
    assert.ok(pausedAt, 'n1 noticed its stall');
    const blamed = net.events.filter((e) => e.node === 'n1' && e.name === 'node-pfail');
    assert.deepEqual(blamed, [], 'n1 marked no peer PFAIL after resuming');
  });

  it('CONFIG SET cluster-node-timeout reaches the detector: a shorter timeout fails a silent node sooner', () => {
    const net = run(SIX_NODES);
    for (const n of ['n1', 'n2', 'n3', 'n4', 'n5', 'n6']) net.node(n).core.setNodeTimeout(500);
    runTranscript(net, `
kill n3
tick 20
expect n1 sees n3 fail
`);
  });

  it('PFAIL alone (one observer) does not make FAIL without a majority', () => {
    // n1 alone cannot reach n3; everyone else can: n1 suspects, nobody agrees.
    run(`${SIX_NODES}
partition n1 n4 n5 n6 | n3 n2
tick 40
# n1 (and n4-n6, none of which owns slots) suspect n3: 1 slot-owning reporter of 3 is no majority
expect n1 sees n3 pfail
heal
tick 40
expect n1 sees n3 ok
expect converged within 50
`);
  });

  it('FAIL clears at once for a slot-less primary that comes back, after 2 x timeout for a slot owner', () => {
    run(`${SIX_NODES}
kill n6
kill n3
tick 80
expect n1 sees n6 fail
expect n1 sees n3 fail
revive n6
revive n3
tick 15
expect n1 sees n6 ok
tick 60
expect n1 sees n3 ok
expect state n1 ok
expect converged within 50
`);
  });

  it('a minority partition turns cluster_state to fail; healing brings it back after the rejoin delay', () => {
    run(`${SIX_NODES}
partition n1 n4 | n2 n3 n5 n6
tick 60
expect state n1 fail
expect n2 sees n1 fail
expect state n2 fail
heal
tick 60
expect state n1 ok
expect state n2 ok
expect converged within 60
`);
  });

  it('under 5% loss and duplication, detection and convergence still hold', () => {
    for (const seed of [1, 2, 3]) {
      run(
        `${SIX_NODES}
kill n2
tick 80
expect n1 sees n2 fail
expect n4 sees n2 fail
`,
        seed,
        { lossRate: 0.05, duplicateRate: 0.05 },
      );
    }
  });
});

describe('cluster core: epochs and slot conflicts', () => {
  it('configEpoch collisions (all primaries at 0) resolve to distinct epochs', () => {
    const net = run(`
add-nodes 6
meet all via n1
addslots-split 0-16383 n1..n6
expect converged within 200
expect distinct-epochs
`);
    assert.ok(net.events.some((e) => e.name === 'config-epoch-collision'));
    for (const n of net.nodes) assert.ok(n.core.view.currentEpoch >= 5);
  });

  it('a slot claimed by two primaries goes to the higher configEpoch', () => {
    const net = run(`
add-nodes 4
set-config-epoch n1 1
set-config-epoch n2 5
set-config-epoch n3 3
set-config-epoch n4 4
addslots n1 0-16383
addslots n2 100-200
meet all via n3
expect converged within 100
expect owner 150 n2
expect owner 99 n1
expect owner 201 n1
`);
    assert.ok(net.events.some((e) => e.node === 'n1' && e.name === 'slots-lost'), 'n1 gave up 100-200');
    assert.deepEqual(net.node('n1').core.view.nodes.get(net.node('n1').core.myId)!.slots, [[0, 99], [201, 16383]]);
  });

  it('a primary that keeps serving other slots is told which slots it lost (to delete their keys); one that became a replica is not', () => {
    const net = new SimNetwork({ seed: 3, nodeTimeoutMs: 2000 });
    const lost = new Map<string, number[]>();
    net.onEffect = (node, e) => {
      if (e.kind === 'slots-lost') lost.set(node.name, [...(lost.get(node.name) ?? []), ...e.slots]);
    };
    runTranscript(net, `
add-nodes 4
set-config-epoch n1 1
set-config-epoch n2 5
set-config-epoch n3 2
set-config-epoch n4 6
addslots n1 0-9999
addslots n2 100-200
addslots n3 10000-16383
addslots n4 10000-16383
meet all via n1
expect converged within 100
expect owner 150 n2
expect owner 12000 n4
`);
    // n1 still owns 0-99 and 201-9999: it deletes its keys of 100-200.
    assert.deepEqual(lost.get('n1'), Array.from({ length: 101 }, (_, i) => 100 + i));
    // n3 lost every slot it had to n4 and follows it as a replica: its data comes from n4.
    assert.equal(net.node('n3').core.view.nodes.get(net.node('n3').core.myId)!.primaryId, net.node('n4').core.myId);
    assert.equal(lost.has('n3'), false);
    assert.equal(lost.has('n2'), false);
    assert.equal(lost.has('n4'), false);
  });

  it('epochs never go back: currentEpoch is monotonic on every node', () => {
    const net = new SimNetwork({ seed: 4, nodeTimeoutMs: 2000 });
    runTranscript(net, `
add-nodes 8
meet all via n1
addslots-split 0-16383 n1..n8`);
    const last = new Map<string, number>();
    for (let t = 0; t < 100; t++) {
      net.runTicks(1);
      for (const n of net.nodes) {
        const e = n.core.view.currentEpoch;
        assert.ok(e >= (last.get(n.name) ?? 0), `${n.name} currentEpoch went back`);
        last.set(n.name, e);
      }
    }
  });
});
