// The measurement behind docs/cluster-bus.md: N nodes meet through one seed,
// a third of them take the 16384 slots, and we record ticks to convergence,
// the steady bus cost per node per second, and how long news (a new node, a
// slot moving) takes to reach every node. Used by the unit test and the CLI.

import { deepDifference, fastConverged, runUntilConverged } from './checks.js';
import { SimNetwork, type MessageSizer } from './network.js';
import { runTranscript } from './transcript.js';

export interface FormationResult {
  readonly nodes: number;
  readonly boundTicks: number;
  readonly ticksToConverge: number;
  readonly formationMsgsPerNode: number;
  readonly formationBytesPerNode: number;
  readonly steadyMsgsPerNodePerSec: number;
  readonly steadyBytesPerNodePerSec: number;
  readonly newNodeTicks: number;
  readonly slotMoveTicks: number;
  readonly difference: string | null;
}

/**
 * Ticks (100 ms) allowed for N nodes to converge after meeting one seed.
 * A joiner gets the seed's whole table in the MEET answer; after that every
 * node pulls what it lacks (anti-entropy) at most once a second from a peer
 * whose membersDigest differs, and a pull returns everything the peer knows
 * that the puller lacks. Complete tables therefore spread like a pull
 * epidemic, which reaches all N nodes in log2(N) + O(log log N) rounds
 * (Karp et al., "Randomized rumor spreading", 2000); slot claims ride the same
 * pulls and the news piggyback, which spreads in O(log N) probe periods.
 * Bound: (ceil(log2 N) + 5) rounds of 1 s, doubled for loss and unlucky
 * picks: 20 x (ceil(log2 N) + 5) ticks (N=3: 140, N=30: 200, N=1500: 320).
 */
export function convergenceBoundTicks(n: number): number {
  return 20 * (Math.ceil(Math.log2(Math.max(2, n))) + 5);
}

export function measureFormation(
  n: number,
  seed: number,
  sizer: MessageSizer,
  opts: { lossRate?: number; deepCheckSample?: number; steadySecs?: number; lap?: (what: string) => void } = {},
): FormationResult {
  const lap = opts.lap ?? (() => {});
  const net = new SimNetwork({ seed, sizer, nodeTimeoutMs: 15_000, lossRate: opts.lossRate ?? 0 });
  const owners = Math.max(1, Math.floor(n / 3));
  runTranscript(
    net,
    `add-nodes ${n}
set-config-epochs
meet all via n1
addslots-split 0-16383 n1..n${owners}`,
  );
  const bound = convergenceBoundTicks(n);
  const ticks = runUntilConverged(net, bound, 5);
  const formationMsgs = net.totals.msgs;
  const formationBytes = net.totals.bytes;
  lap('formation');
  // Every node's digest is compared above; views are compared in full for up
  // to deepCheckSample nodes (default all), since building 1,500 views of
  // 1,500 nodes and 16384 slots each is most of the test's memory.
  const sample = opts.deepCheckSample ?? n;
  const among = sample >= n ? net.nodes.slice() : [net.nodes[0]!, ...Array.from({ length: sample - 1 }, () => net.nodes[Math.floor(net.random() * n)]!)];
  const difference = ticks < 0 ? 'not converged' : deepDifference(net, among);
  lap('deep check');

  // Steady state: nothing changes (the tail of formation news may still drain).
  net.runTicks(20);
  net.resetCounters();
  const steadySecs = opts.steadySecs ?? 10;
  net.runTicks(steadySecs * 10);
  const steadyMsgs = net.totals.msgs / n / steadySecs;
  const steadyBytes = net.totals.bytes / n / steadySecs;
  lap('steady');

  // News 1: a new node meets a random member.
  const [fresh] = net.addNodes(1);
  const via = net.nodes[Math.floor(net.random() * n)]!;
  net.act(fresh!, (c) => c.meet(via.ip, via.port, via.busPort, net.nowMs));
  const newNodeTicks = runUntilConverged(net, bound, 1);
  lap('new node');

  // News 2: a slot moves to another primary, which bumps its configEpoch (as after a migration).
  const to = net.node(`n${owners}`);
  net.act(to, (c) => {
    c.setSlot(0, 'node', c.myId);
    c.bumpEpoch();
  });
  const slotMoveTicks = runUntilConverged(net, bound, 1);
  const moved = among.every((x) => x.core.view.slotOwners[0]?.id === to.core.myId);
  lap('slot move');

  return {
    nodes: n,
    boundTicks: bound,
    ticksToConverge: ticks,
    formationMsgsPerNode: formationMsgs / n,
    formationBytesPerNode: formationBytes / n,
    steadyMsgsPerNodePerSec: steadyMsgs,
    steadyBytesPerNodePerSec: steadyBytes,
    newNodeTicks,
    slotMoveTicks: moved && fastConverged(net) ? slotMoveTicks : -1,
    difference,
  };
}

export function formatResult(r: FormationResult): string {
  return (
    `N=${r.nodes}: converged after ${r.ticksToConverge} ticks (bound ${r.boundTicks}); ` +
    `formation ${r.formationMsgsPerNode.toFixed(0)} msgs, ${(r.formationBytesPerNode / 1024).toFixed(1)} KiB per node; ` +
    `steady ${r.steadyMsgsPerNodePerSec.toFixed(1)} msgs/s, ${(r.steadyBytesPerNodePerSec / 1024).toFixed(2)} KiB/s per node; ` +
    `new node known everywhere after ${r.newNodeTicks} ticks, slot move after ${r.slotMoveTicks} ticks`
  );
}
