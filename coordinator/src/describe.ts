// `tessera describe`: the cluster as an operator reads it, shard by shard:
// primary and replicas with zone, slots, keys, memory, link state,
// replication offsets and lag, and the cluster-wide state. Every figure is
// what the node itself reports (INFO, CLUSTER INFO, CLUSTER NODES); nothing
// is cached by the coordinator.

import { parseInfo, type ClusterSnapshot } from './client.js';
import { addr, type Ctx } from './context.js';
import { formatRanges, healthProblems, healthWarnings, type TopoNode } from './topology.js';

export interface NodeDescription {
  readonly id: string;
  readonly address: string;
  readonly role: 'primary' | 'replica';
  readonly zone: string | null;
  readonly flags: readonly string[];
  readonly linkState: string;
  readonly reachable: boolean;
  readonly keys: number | null;
  readonly usedMemoryBytes: number | null;
  readonly usedMemoryHuman: string | null;
  readonly replOffset: number | null;
  /** Replica: primary's offset minus its own, in bytes. */
  readonly lagBytes: number | null;
  /** Replica: master_link_status. */
  readonly primaryLink: string | null;
  readonly connectedReplicas: number | null;
}

export interface ShardDescription {
  readonly index: number;
  readonly slots: number;
  readonly slotRanges: string;
  readonly migrating: Record<string, string>;
  readonly importing: Record<string, string>;
  readonly primary: NodeDescription;
  readonly replicas: readonly NodeDescription[];
  readonly keys: number | null;
}

export interface ClusterDescription {
  readonly clusterState: string;
  readonly clusterInfo: Record<string, string>;
  readonly shards: readonly ShardDescription[];
  readonly problems: readonly string[];
  readonly warnings: readonly string[];
}

function keysOf(info: Map<string, string>): number {
  let n = 0;
  for (const [k, v] of info) if (/^db\d+$/.test(k)) n += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
  return n;
}

export async function describeCluster(ctx: Ctx, snap?: ClusterSnapshot): Promise<ClusterDescription> {
  const s = snap ?? (await ctx.client.snapshot());
  const t = s.topology;
  const infos = new Map<string, Map<string, string>>();
  await Promise.all(t.nodes.map(async (n) => {
    try {
      infos.set(n.id, parseInfo(String(await ctx.client.node(n).call('INFO'))));
    } catch { /* unreachable: shown as such */ }
  }));
  const offsetOf = (id: string): number | null => {
    const i = infos.get(id);
    const v = i?.get('master_repl_offset');
    return v === undefined ? null : Number(v);
  };
  const node = (n: TopoNode, primary?: TopoNode): NodeDescription => {
    const info = infos.get(n.id);
    const off = info ? Number(info.get('slave_repl_offset') ?? info.get('master_repl_offset') ?? NaN) : NaN;
    const pOff = primary ? offsetOf(primary.id) : null;
    return {
      id: n.id, address: addr(n), role: n.role, zone: t.zones.get(n.id) ?? null, flags: n.flags, linkState: n.linkState,
      reachable: info !== undefined,
      keys: info ? keysOf(info) : null,
      usedMemoryBytes: info?.get('used_memory') === undefined ? null : Number(info.get('used_memory')),
      usedMemoryHuman: info?.get('used_memory_human') ?? null,
      replOffset: Number.isFinite(off) ? off : null,
      lagBytes: primary && pOff !== null && Number.isFinite(off) ? Math.max(0, pOff - off) : null,
      primaryLink: n.role === 'replica' ? info?.get('master_link_status') ?? null : null,
      connectedReplicas: n.role === 'primary' && info ? Number(info.get('connected_slaves') ?? 0) : null,
    };
  };
  const shards: ShardDescription[] = t.shards.map((sh, index) => {
    const p = node(sh.primary);
    return {
      index, slots: sh.primary.slots.length, slotRanges: formatRanges(sh.primary.slots),
      migrating: Object.fromEntries([...sh.primary.migrating].map(([k, v]) => [String(k), v])),
      importing: Object.fromEntries([...sh.primary.importing].map(([k, v]) => [String(k), v])),
      primary: p, replicas: sh.replicas.map((r) => node(r, sh.primary)), keys: p.keys,
    };
  });
  const seedInfo = [...s.clusterInfo.values()][0] ?? new Map<string, string>();
  const states = new Set(s.clusterStates.values());
  return {
    clusterState: states.size === 1 ? [...states][0] ?? '?' : [...states].join('/') || '?',
    clusterInfo: Object.fromEntries(seedInfo),
    shards,
    problems: healthProblems(t, s.clusterStates),
    warnings: healthWarnings(t),
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

export function formatDescription(d: ClusterDescription): string {
  const i = d.clusterInfo;
  const lines = [
    `cluster_state: ${d.clusterState}   shards: ${d.shards.length}   known nodes: ${i['cluster_known_nodes'] ?? '?'}   slots assigned/ok/pfail/fail: ${i['cluster_slots_assigned'] ?? '?'}/${i['cluster_slots_ok'] ?? '?'}/${i['cluster_slots_pfail'] ?? '?'}/${i['cluster_slots_fail'] ?? '?'}   epoch: ${i['cluster_current_epoch'] ?? '?'}`,
  ];
  const rows: string[][] = [];
  for (const s of d.shards) {
    const n = (x: NodeDescription, shard: string, slots: string): string[] => [
      shard, x.role, x.address, x.id.slice(0, 8), x.zone ?? '-', slots, x.keys === null ? '-' : String(x.keys),
      x.usedMemoryHuman ?? '-',
      x.reachable ? `${x.linkState}${x.flags.some((f) => f === 'fail' || f === 'fail?') ? ` (${x.flags.filter((f) => f.startsWith('fail')).join(',')})` : ''}${x.primaryLink ? `, repl ${x.primaryLink}` : ''}` : 'unreachable',
      x.replOffset === null ? '-' : String(x.replOffset), x.lagBytes === null ? '-' : `${x.lagBytes} B`,
    ];
    const open = Object.keys(s.migrating).length + Object.keys(s.importing).length;
    rows.push(n(s.primary, String(s.index), `${s.slots} ${s.slotRanges.length > 40 ? s.slotRanges.slice(0, 37) + '...' : s.slotRanges}${open > 0 ? ` (+${open} open)` : ''}`));
    for (const r of s.replicas) rows.push(n(r, '', ''));
  }
  lines.push(table(['SHARD', 'ROLE', 'NODE', 'ID', 'ZONE', 'SLOTS', 'KEYS', 'MEMORY', 'LINK', 'OFFSET', 'LAG'], rows));
  if (d.problems.length > 0) lines.push('Problems:', ...d.problems.map((p) => `  - ${p}`));
  if (d.warnings.length > 0) lines.push('Warnings:', ...d.warnings.map((p) => `  - ${p}`));
  return lines.join('\n');
}

export async function describe(ctx: Ctx): Promise<number> {
  const d = await describeCluster(ctx);
  ctx.out(ctx.json ? JSON.stringify(d, null, 2) : formatDescription(d));
  return d.problems.length === 0 ? 0 : 2;
}
