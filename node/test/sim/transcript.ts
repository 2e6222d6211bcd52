// Scenarios as transcripts: one command per line, run against a SimNetwork.
//
//   add-nodes 6                 create n1..n6 (all primaries)
//   set-config-epochs           give every node a distinct configEpoch (as redis-cli --cluster create)
//   meet all via n1             every other node MEETs n1
//   meet n2 n1                  n2 MEETs n1
//   addslots n1 0-5460          CLUSTER ADDSLOTS on n1
//   addslots-split 0-16383 n1..n3   spread the range evenly over n1..n3
//   tick 300                    advance 300 ticks (tickMs each)
//   kill n3 | revive n3 | partition n1 n2 | n3 n4 | heal | loss 0.05
//   forget n1 n3                n1 runs CLUSTER FORGET <n3's id>
//   expect converged [within 200]
//   expect state n1 ok|fail
//   expect n1 sees n3 fail|pfail|ok|unknown
//   expect owner 100 n2         every live node says n2 owns slot 100
//   expect distinct-epochs      slot-owning primaries have distinct configEpochs
//   expect error <reply...>     the previous admin command failed with this reply
//
// Lines starting with '#' are comments. A failing line throws with the line
// number, the seed and the output so far.

import { parseRanges, slotsOf } from '../../src/cluster/slot-ranges.js';
import { canonicalTable, deepDifference, liveNodes, runUntilConverged } from './checks.js';
import type { SimNetwork, SimNode } from './network.js';

export class TranscriptError extends Error {
  override readonly name = 'TranscriptError';
}

export const DEFAULT_CONVERGENCE_TICKS = 600;

function nodeRange(net: SimNetwork, spec: string): SimNode[] {
  const m = /^n(\d+)\.\.n(\d+)$/.exec(spec);
  if (m) return net.nodes.slice(Number(m[1]) - 1, Number(m[2]));
  return spec.split(',').map((s) => net.node(s));
}

export function runTranscript(net: SimNetwork, text: string, log: (line: string) => void = () => {}): void {
  let lastReply: string | null = null;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const w = line.split(/\s+/);
    const fail = (why: string): never => {
      throw new TranscriptError(`line ${i + 1} "${line}" at ${net.nowMs} ms: ${why}`);
    };
    const admin = (node: SimNode, fn: () => string | null): void => {
      lastReply = net.act(node, fn);
      if (lastReply !== null && !lines[i + 1]?.trim().startsWith('expect error')) fail(`unexpected ${lastReply}`);
    };
    switch (w[0]) {
      case 'add-nodes':
        net.addNodes(Number(w[1]));
        break;
      case 'set-config-epochs':
        net.nodes.forEach((n, k) => admin(n, () => n.core.setConfigEpoch(k + 1)));
        break;
      case 'set-config-epoch': {
        const n = net.node(w[1]!);
        admin(n, () => n.core.setConfigEpoch(Number(w[2])));
        break;
      }
      case 'meet': {
        if (w[1] === 'all') {
          const seed = net.node(w[3]!);
          for (const n of net.nodes) if (n !== seed) admin(n, () => n.core.meet(seed.ip, seed.port, seed.busPort, net.nowMs));
        } else {
          const a = net.node(w[1]!);
          const b = net.node(w[2]!);
          admin(a, () => a.core.meet(b.ip, b.port, b.busPort, net.nowMs));
        }
        break;
      }
      case 'addslots':
      case 'delslots': {
        const n = net.node(w[1]!);
        const slots = [...slotsOf(parseRanges(w.slice(2).join(' ')))];
        admin(n, () => (w[0] === 'addslots' ? n.core.addSlots(slots) : n.core.delSlots(slots)));
        break;
      }
      case 'addslots-split': {
        const [a, b] = parseRanges(w[1]!)[0]!;
        const owners = nodeRange(net, w[2]!);
        const per = Math.ceil((b - a + 1) / owners.length);
        owners.forEach((n, k) => {
          const lo = a + k * per;
          const hi = Math.min(b, lo + per - 1);
          if (lo > hi) return;
          const slots: number[] = [];
          for (let s = lo; s <= hi; s++) slots.push(s);
          admin(n, () => n.core.addSlots(slots));
        });
        break;
      }
      case 'tick':
        net.runTicks(Number(w[1]));
        break;
      case 'kill':
        net.kill(w[1]!);
        break;
      case 'revive':
        net.revive(w[1]!);
        break;
      case 'partition': {
        const groups = line
          .slice('partition'.length)
          .split('|')
          .map((g) => g.trim().split(/\s+/).filter(Boolean));
        net.partition(groups);
        break;
      }
      case 'heal':
        net.heal();
        break;
      case 'loss':
        net.lossRate = Number(w[1]);
        break;
      case 'forget': {
        const a = net.node(w[1]!);
        const id = net.node(w[2]!).core.myId;
        admin(a, () => a.core.forget(id, net.nowMs));
        break;
      }
      case 'expect':
        expect(net, w.slice(1), lastReply, fail, log);
        break;
      default:
        fail('unknown command');
    }
  }
}

function expect(net: SimNetwork, w: string[], lastReply: string | null, fail: (why: string) => never, log: (l: string) => void): void {
  switch (w[0]) {
    case 'converged': {
      const bound = w[1] === 'within' ? Number(w[2]) : DEFAULT_CONVERGENCE_TICKS;
      const ticks = runUntilConverged(net, bound);
      if (ticks < 0) fail(`not converged within ${bound} ticks; ${deepDifference(net) ?? 'digests differ but tables equal?'}`);
      const diff = deepDifference(net);
      if (diff) fail(`fast check passed but tables differ: ${diff}`);
      log(`converged after ${ticks} ticks`);
      return;
    }
    case 'state': {
      const got = net.node(w[1]!).core.clusterState;
      if (got !== w[2]) fail(`cluster_state is ${got}`);
      return;
    }
    case 'error': {
      const want = w.slice(1).join(' ');
      if (lastReply !== want) fail(`reply was ${lastReply ?? 'OK'}`);
      return;
    }
    case 'owner': {
      const slot = Number(w[1]);
      const owner = net.node(w[2]!).core.myId;
      for (const n of liveNodes(net)) {
        const got = n.core.view.slotOwners[slot]?.id ?? 'none';
        if (got !== owner) fail(`${n.name} says slot ${slot} is owned by ${got}`);
      }
      return;
    }
    case 'distinct-epochs': {
      // every slot-owning primary has its own configEpoch, as every live node sees it
      for (const n of liveNodes(net)) {
        const seen = new Map<number, string>();
        for (const v of n.core.view.nodes.values()) {
          if (!v.flags.includes('master') || v.slots.length === 0) continue;
          const other = seen.get(v.configEpoch);
          if (other) fail(`${n.name} sees ${other} and ${v.id} both at configEpoch ${v.configEpoch}`);
          seen.set(v.configEpoch, v.id);
        }
      }
      return;
    }
    case 'table':
      log(canonicalTable(net.node(w[1]!)));
      return;
    default: {
      // expect n1 sees n3 fail|pfail|ok|unknown
      if (w[1] !== 'sees') fail('unknown expectation');
      const observer = net.node(w[0]!);
      const subject = net.node(w[2]!);
      const nv = observer.core.view.nodes.get(subject.core.myId);
      const got = !nv ? 'unknown' : nv.flags.includes('fail') ? 'fail' : nv.flags.includes('pfail') ? 'pfail' : 'ok';
      if (got !== w[3]) fail(`${observer.name} sees ${subject.name} as ${got}`);
    }
  }
}
