// The status table of a local cluster: one row per node with its zone, the
// role it has now (after failovers, not the planned one), slots, keys,
// memory, how its links look and how far a replica lags its primary in bytes
// of the replication stream (and in seconds since the last ack when known).

import { clusterNodes, nodeInfo, slotCount, type ClusterNodeLine } from './admin.js';
import { livePid, type LocalCluster, type NodeRecord } from './cluster.js';

export interface StatusRow {
  readonly node: string;
  readonly zone: string;
  readonly pid: string;
  readonly role: string;
  readonly slots: string;
  readonly keys: string;
  readonly memory: string;
  readonly links: string;
  readonly lag: string;
}

function keysOf(info: Map<string, string>): number {
  let n = 0;
  for (const [k, v] of info) if (/^db\d+$/.test(k)) n += Number(/keys=(\d+)/.exec(v)?.[1] ?? 0);
  return n;
}

export async function statusRows(cluster: LocalCluster): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  const offsets = new Map<string, number>();
  const views = new Map<number, ClusterNodeLine[]>();
  const infos = new Map<number, Map<string, string>>();
  for (const n of cluster.nodes) {
    try {
      views.set(n.port, await clusterNodes(cluster.endpoint(n), 1000));
      infos.set(n.port, await nodeInfo(cluster.endpoint(n), undefined, 1000));
    } catch { /* shown as down */ }
    const me = views.get(n.port)?.find((x) => x.myself);
    const off = infos.get(n.port)?.get('master_repl_offset');
    if (me && off !== undefined) offsets.set(me.id, Number(off));
  }
  for (const n of cluster.nodes as NodeRecord[]) {
    const pid = livePid(n);
    const view = views.get(n.port);
    const info = infos.get(n.port);
    const me = view?.find((x) => x.myself);
    const base = { node: `${n.host}:${n.port}`, zone: n.zone, pid: pid === undefined ? '-' : String(pid) };
    if (!view || !info || !me) {
      rows.push({ ...base, role: pid === undefined ? 'stopped' : 'no answer', slots: '-', keys: '-', memory: '-', links: '-', lag: '-' });
      continue;
    }
    const peers = view.filter((x) => !x.myself);
    const connected = peers.filter((x) => x.linkState === 'connected').length;
    const failing = peers.filter((x) => x.failing).map((x) => `${x.addr}(${x.flags.includes('fail') ? 'fail' : 'pfail'})`);
    let links = `bus ${connected}/${peers.length}`;
    if (failing.length > 0) links += ` ${failing.join(' ')}`;
    let role: string = me.role;
    let lag = '-';
    if (me.role === 'replica') {
      const primary = view.find((x) => x.id === me.primaryId);
      role = `replica of ${primary?.port ?? me.primaryId.slice(0, 8)}`;
      links += `, primary link ${info.get('master_link_status') ?? '?'}`;
      const mine = Number(info.get('slave_repl_offset') ?? info.get('master_repl_offset') ?? NaN);
      const theirs = offsets.get(me.primaryId);
      if (theirs !== undefined && Number.isFinite(mine)) lag = `${Math.max(0, theirs - mine)} B`;
      const io = info.get('master_last_io_seconds_ago');
      if (io !== undefined) lag += `, io ${io}s ago`;
    } else {
      links += `, replicas ${info.get('connected_slaves') ?? '0'}`;
    }
    rows.push({
      ...base, role, slots: String(slotCount(me.slots)), keys: String(keysOf(info)),
      memory: info.get('used_memory_human') ?? '?', links, lag,
    });
  }
  return rows;
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function formatStatus(rows: readonly StatusRow[]): string {
  return formatTable(
    ['NODE', 'ZONE', 'PID', 'ROLE', 'SLOTS', 'KEYS', 'MEMORY', 'LINKS', 'REPL LAG'],
    rows.map((r) => [r.node, r.zone, r.pid, r.role, r.slots, r.keys, r.memory, r.links, r.lag]),
  );
}
