// INFO replication and the sync counters of INFO stats, laid out as Redis
// 7.0's genRedisInfoString prints them, from the pure state and a few
// directives. Pure formatting: `nowMs` is a parameter.

import type { ReplicationState } from './state.js';

export interface ReplicationInfoInputs {
  readonly state: ReplicationState;
  readonly nowMs: number;
  readonly replicaPriority: number;
  readonly replicaReadOnly: boolean;
  readonly replicaAnnounced: boolean;
  /** Snapshot bytes received so far while a full sync is loading (master_sync_read_bytes). */
  readonly syncReadBytes: number;
  /** Our availability-zone (sync_acked_offset counts acks from other zones). */
  readonly zone: string;
}

function secondsSince(nowMs: number, thenMs: number): number {
  return Math.max(0, Math.floor((nowMs - thenMs) / 1000));
}

export function replicationInfoLines(i: ReplicationInfoInputs): string[] {
  const st = i.state;
  const out: string[] = [];
  const p = st.primary;
  if (p === null) {
    out.push('role:master');
  } else {
    const up = p.state === 'connected';
    out.push(
      'role:slave',
      `master_host:${p.host}`,
      `master_port:${p.port}`,
      `master_link_status:${up ? 'up' : 'down'}`,
      `master_last_io_seconds_ago:${up || p.state === 'sync' ? secondsSince(i.nowMs, p.lastIoMs) : -1}`,
      `master_sync_in_progress:${p.state === 'sync' ? 1 : 0}`,
      `slave_read_repl_offset:${p.readOffset}`,
      `slave_repl_offset:${st.offset}`,
    );
    if (p.state === 'sync') {
      out.push(
        'master_sync_total_bytes:-1',
        `master_sync_read_bytes:${i.syncReadBytes}`,
        'master_sync_left_bytes:-1',
        'master_sync_perc:0.00',
        `master_sync_last_io_seconds_ago:${secondsSince(i.nowMs, p.lastIoMs)}`,
      );
    }
    if (!up) out.push(`master_link_down_since_seconds:${p.downSinceMs < 0 ? -1 : secondsSince(i.nowMs, p.downSinceMs)}`);
    out.push(`slave_priority:${i.replicaPriority}`, `slave_read_only:${i.replicaReadOnly ? 1 : 0}`, `replica_announced:${i.replicaAnnounced ? 1 : 0}`);
  }
  out.push(`connected_slaves:${st.replicas.size}`);
  let n = 0;
  for (const r of st.replicas.values()) {
    out.push(`slave${n++}:ip=${r.ip},port=${r.port},state=${r.state},offset=${r.ackOffset},lag=${secondsSince(i.nowMs, r.ackTimeMs)}`);
  }
  const b = st.backlog;
  out.push(
    'master_failover_state:no-failover',
    `master_replid:${st.replid}`,
    `master_replid2:${st.replid2}`,
    `master_repl_offset:${st.offset}`,
    // Redis prints second_repl_offset one-based (psync offsets are), -1 when unset.
    `second_repl_offset:${st.secondReplidOffset < 0 ? -1 : st.secondReplidOffset + 1}`,
    `repl_backlog_active:${b ? 1 : 0}`,
    `repl_backlog_size:${st.backlogBytes}`,
    // One-based, as Redis's repl_backlog_first_byte_offset (0 with no backlog).
    `repl_backlog_first_byte_offset:${b ? b.startOffset + 1 : 0}`,
    `repl_backlog_histlen:${b ? b.historyBytes : 0}`,
    // Tessera's, last so Redis's layout is unchanged above it: on a primary the
    // highest offset a replica in another zone acknowledged, on a replica what
    // its primary reported (docs/replication.md).
    `sync_acked_offset:${st.knownAckedOffset(i.zone)}`,
  );
  return out;
}

/** The sync counters of INFO stats. */
export function replicationSyncStatsLines(st: ReplicationState | null): string[] {
  const s = st?.stats;
  return [`sync_full:${s?.syncFull ?? 0}`, `sync_partial_ok:${s?.syncPartialOk ?? 0}`, `sync_partial_err:${s?.syncPartialErr ?? 0}`];
}
