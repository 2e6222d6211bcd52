// Convergence checks over a simulated cluster. The fast check compares each
// live node's membersDigest (an XOR of per-node fingerprints the core keeps
// incrementally) so it can run every simulated second at 1,500 nodes; the
// deep check compares the views themselves: same ids, same flags (modulo
// 'myself'), same primaries, same configEpochs, same slot owners.

import { formatRanges } from '../../src/cluster/slot-ranges.js';
import type { SimNetwork, SimNode } from './network.js';

export function liveNodes(net: SimNetwork): SimNode[] {
  return net.nodes.filter((n) => n.alive);
}

export function fastConverged(net: SimNetwork, among: readonly SimNode[] = liveNodes(net)): boolean {
  const first = among[0];
  if (!first) return true;
  const d = first.core.membersDigest;
  const k = first.core.knownNodes;
  for (const n of among) {
    if (n.core.handshakeCount !== 0 || n.core.membersDigest !== d || n.core.knownNodes !== k) return false;
  }
  return true;
}

/** One line per node, sorted: what every node must agree on. */
export function canonicalTable(node: SimNode): string {
  const v = node.core.view;
  const lines: string[] = [];
  for (const n of v.nodes.values()) {
    const flags = n.flags.filter((f) => f !== 'myself').join(',');
    lines.push(`${n.id} ${n.ip}:${n.port}@${n.busPort} ${flags} ${n.primaryId || '-'} ${n.configEpoch} ${formatRanges(n.slots)}`);
  }
  return lines.sort().join('\n');
}

/** null when every live node has the same table, else a description of the first difference. */
export function deepDifference(net: SimNetwork, among: readonly SimNode[] = liveNodes(net)): string | null {
  const first = among[0];
  if (!first) return null;
  const ref = canonicalTable(first);
  for (const n of among.slice(1)) {
    const t = canonicalTable(n);
    if (t !== ref) {
      const a = new Set(ref.split('\n'));
      const b = new Set(t.split('\n'));
      const onlyA = [...a].filter((x) => !b.has(x)).slice(0, 3);
      const onlyB = [...b].filter((x) => !a.has(x)).slice(0, 3);
      return `${first.name} and ${n.name} differ:\n  only ${first.name}: ${onlyA.join('\n    ')}\n  only ${n.name}: ${onlyB.join('\n    ')}`;
    }
  }
  return null;
}

/** Runs until the fast check holds (checked every `checkEveryTicks`), up to maxTicks. Returns ticks used or -1. */
export function runUntilConverged(net: SimNetwork, maxTicks: number, checkEveryTicks = 5, among?: () => SimNode[]): number {
  for (let t = 0; t <= maxTicks; t += checkEveryTicks) {
    if (fastConverged(net, among ? among() : liveNodes(net))) return t;
    net.runTicks(checkEveryTicks);
  }
  return -1;
}
