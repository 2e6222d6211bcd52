// INFO: one builder per section, each returning "field:value" lines in Redis
// 7.0's order and spelling, so monitoring that parses redis-server's INFO
// parses ours. Fields whose machinery Tessera lacks (persistence, replicas,
// modules) report the truthful idle value rather than being left out.
//
// Process facts (RSS, CPU, OS name) come through ProcessFacts so tests can
// pin them; everything else is read from the NodeState.

import os from 'node:os';
import type { NodeState } from '../commands/node-state.js';
import { STARTUP_BYTES } from '../keyspace/keyspace.js';
import { REDIS_VERSION, TESSERA_VERSION } from '../commands/server/version.js';
import { replicationSyncStatsLines } from '../replication/info.js';

export interface ProcessFacts {
  /** "Linux 6.1.0 x86_64", as uname shows it. */
  readonly osName: string;
  readonly archBits: number;
  rssBytes(): number;
  /** CPU seconds used by this process. */
  cpuSeconds(): { user: number; sys: number };
  totalSystemMemoryBytes(): number;
  /** The JS heap: bytes in use and bytes reserved (INFO's allocator_allocated/active). */
  heapBytes(): { used: number; total: number };
}

export function realProcessFacts(): ProcessFacts {
  return {
    osName: `${os.type()} ${os.release()} ${os.machine()}`,
    archBits: process.arch.endsWith('64') ? 64 : 32,
    rssBytes: () => process.memoryUsage.rss(),
    cpuSeconds: () => {
      const u = process.cpuUsage();
      return { user: u.user / 1e6, sys: u.system / 1e6 };
    },
    totalSystemMemoryBytes: () => os.totalmem(),
    heapBytes: () => {
      const m = process.memoryUsage();
      return { used: m.heapUsed + m.external, total: m.heapTotal + m.external };
    },
  };
}

/**
 * Rates over the last ~1.6 s like Redis's instantaneous_* fields: snapshots
 * of the running totals at most every 100 ms, taken when commands run.
 */
export class RateMeter {
  private readonly samples: { atMs: number; ops: number; inBytes: number; outBytes: number }[] = [];

  sample(nowMs: number, ops: number, inBytes: number, outBytes: number): void {
    const last = this.samples[this.samples.length - 1];
    if (last && nowMs - last.atMs < 100) return;
    this.samples.push({ atMs: nowMs, ops, inBytes, outBytes });
    if (this.samples.length > 17) this.samples.shift();
  }

  /** Per-second rates between the oldest snapshot in the window and now. */
  rates(nowMs: number, ops: number, inBytes: number, outBytes: number): { opsPerSec: number; inKbps: number; outKbps: number } {
    // The baseline is the newest snapshot at least a window old, so an idle
    // spell after a burst reads as 0, not as the burst's average.
    let oldest = this.samples[0];
    for (const s of this.samples) {
      if (nowMs - s.atMs >= 1600) oldest = s;
      else break;
    }
    if (!oldest || nowMs - oldest.atMs <= 0) return { opsPerSec: 0, inKbps: 0, outKbps: 0 };
    const secs = (nowMs - oldest.atMs) / 1000;
    return {
      opsPerSec: Math.round((ops - oldest.ops) / secs),
      inKbps: (inBytes - oldest.inBytes) / secs / 1024,
      outKbps: (outBytes - oldest.outBytes) / secs / 1024,
    };
  }
}

/** Redis's bytesToHuman. */
export function bytesToHuman(n: number): string {
  if (n < 1024) return `${n}B`;
  const units = ['K', 'M', 'G', 'T', 'P'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(2)}${units[i]!}`;
}

type Lines = string[];
export type SectionName =
  | 'server'
  | 'clients'
  | 'memory'
  | 'persistence'
  | 'stats'
  | 'replication'
  | 'cpu'
  | 'modules'
  | 'commandstats'
  | 'errorstats'
  | 'latencystats'
  | 'cluster'
  | 'failover'
  | 'keyspace';

/** Every section in output order, with its header. */
const SECTIONS: readonly [SectionName, string][] = [
  ['server', 'Server'],
  ['clients', 'Clients'],
  ['memory', 'Memory'],
  ['persistence', 'Persistence'],
  ['stats', 'Stats'],
  ['replication', 'Replication'],
  ['cpu', 'CPU'],
  ['modules', 'Modules'],
  ['commandstats', 'Commandstats'],
  ['errorstats', 'Errorstats'],
  ['latencystats', 'Latencystats'],
  ['cluster', 'Cluster'],
  ['failover', 'Failover'],
  ['keyspace', 'Keyspace'],
];

const DEFAULT_SECTIONS = new Set<SectionName>(['server', 'clients', 'memory', 'persistence', 'stats', 'replication', 'cpu', 'modules', 'errorstats', 'cluster', 'keyspace']);

export interface InfoContext {
  readonly node: NodeState;
  readonly facts: ProcessFacts;
  readonly meter: RateMeter;
}

/**
 * Which sections the INFO arguments select: none = default; "all" and
 * "everything" = every section (no module sections exist); names are case
 * insensitive and unknown ones select nothing.
 */
export function selectSections(args: readonly string[]): Set<SectionName> {
  if (args.length === 0) return new Set(DEFAULT_SECTIONS);
  const out = new Set<SectionName>();
  for (const raw of args) {
    const a = raw.toLowerCase();
    if (a === 'all' || a === 'everything') for (const [n] of SECTIONS) out.add(n);
    else if (a === 'default') for (const n of DEFAULT_SECTIONS) out.add(n);
    else {
      const hit = SECTIONS.find(([n]) => n === a);
      if (hit) out.add(hit[0]);
    }
  }
  return out;
}

/** The whole INFO text for the chosen sections, CRLF line ends, a blank line between sections. */
export function renderInfo(ctx: InfoContext, sections: Set<SectionName>): string {
  let text = '';
  let first = true;
  for (const [name, title] of SECTIONS) {
    if (!sections.has(name)) continue;
    if (!first) text += '\r\n';
    first = false;
    text += `# ${title}\r\n`;
    for (const l of BUILDERS[name](ctx)) text += l + '\r\n';
  }
  return text;
}

const BUILDERS: Record<SectionName, (ctx: InfoContext) => Lines> = {
  server: ({ node, facts }) => {
    const now = node.keyspace.nowMs;
    const uptimeSec = Math.floor((now - node.startMs) / 1000);
    const hz = node.config.getNumber('hz');
    return [
      `redis_version:${REDIS_VERSION}`,
      `tessera_version:${TESSERA_VERSION}`,
      'redis_git_sha1:00000000',
      'redis_git_dirty:0',
      'redis_build_id:0',
      `redis_mode:${node.clusterEnabled ? 'cluster' : 'standalone'}`,
      `os:${facts.osName}`,
      `arch_bits:${facts.archBits}`,
      'monotonic_clock:POSIX clock_gettime',
      'multiplexing_api:epoll',
      'atomicvar_api:c11-builtin',
      'gcc_version:0.0.0',
      `process_id:${node.host.pid}`,
      'process_supervised:no',
      `run_id:${node.runId}`,
      `tcp_port:${node.host.tcpPort}`,
      `server_time_usec:${now * 1000}`,
      `uptime_in_seconds:${uptimeSec}`,
      `uptime_in_days:${Math.floor(uptimeSec / 86400)}`,
      `hz:${hz}`,
      `configured_hz:${hz}`,
      `lru_clock:${node.keyspace.lruClock()}`,
      `executable:${node.host.executable}`,
      `config_file:${node.host.configFile}`,
      'io_threads_active:0',
      `availability_zone:${node.config.get('availability-zone') ?? ''}`,
    ];
  },
  clients: ({ node }) => [
    `connected_clients:${node.clients.count}`,
    'cluster_connections:0',
    `maxclients:${node.config.getNumber('maxclients')}`,
    'client_recent_max_input_buffer:0',
    'client_recent_max_output_buffer:0',
    `blocked_clients:${node.blocking.blockedCount}`,
    'tracking_clients:0',
    'clients_in_timeout_table:0',
  ],
  memory: ({ node, facts }) => {
    const used = node.usedMemory();
    const peak = Math.max(node.usedMemoryPeak, used);
    const rss = facts.rssBytes();
    const heap = facts.heapBytes();
    const maxmemory = node.config.maxmemoryBytes();
    const dataset = node.keyspace.dataBytes;
    const system = facts.totalSystemMemoryBytes();
    const ratio = (a: number, b: number): string => (b > 0 ? a / b : 0).toFixed(2);
    return [
      `used_memory:${used}`,
      `used_memory_human:${bytesToHuman(used)}`,
      `used_memory_rss:${rss}`,
      `used_memory_rss_human:${bytesToHuman(rss)}`,
      `used_memory_peak:${peak}`,
      `used_memory_peak_human:${bytesToHuman(peak)}`,
      `used_memory_peak_perc:${((used * 100) / peak).toFixed(2)}%`,
      `used_memory_overhead:${STARTUP_BYTES}`,
      `used_memory_startup:${STARTUP_BYTES}`,
      `used_memory_dataset:${dataset}`,
      `used_memory_dataset_perc:${used > STARTUP_BYTES ? ((dataset * 100) / (used - STARTUP_BYTES)).toFixed(2) : '0.00'}%`,
      // The "allocator" is V8's heap: what is in use, what is reserved, what the OS sees.
      `allocator_allocated:${heap.used}`,
      `allocator_active:${heap.total}`,
      `allocator_resident:${rss}`,
      `total_system_memory:${system}`,
      `total_system_memory_human:${bytesToHuman(system)}`,
      // No scripting engine is loaded yet, so it uses nothing.
      'used_memory_lua:0',
      'used_memory_vm_eval:0',
      'used_memory_lua_human:0B',
      'used_memory_scripts_eval:0',
      'number_of_cached_scripts:0',
      'number_of_functions:0',
      'number_of_libraries:0',
      'used_memory_vm_functions:0',
      'used_memory_vm_total:0',
      'used_memory_vm_total_human:0B',
      'used_memory_functions:0',
      'used_memory_scripts:0',
      'used_memory_scripts_human:0B',
      `maxmemory:${maxmemory}`,
      `maxmemory_human:${bytesToHuman(maxmemory)}`,
      `maxmemory_policy:${node.config.get('maxmemory-policy') ?? 'noeviction'}`,
      `allocator_frag_ratio:${ratio(heap.total, heap.used)}`,
      `allocator_frag_bytes:${heap.total - heap.used}`,
      `allocator_rss_ratio:${ratio(rss, heap.total)}`,
      `allocator_rss_bytes:${rss - heap.total}`,
      'rss_overhead_ratio:1.00',
      'rss_overhead_bytes:0',
      `mem_fragmentation_ratio:${ratio(rss, used)}`,
      `mem_fragmentation_bytes:${rss - used}`,
      'mem_not_counted_for_evict:0',
      'mem_replication_backlog:0',
      'mem_total_replication_buffers:0',
      'mem_clients_slaves:0',
      'mem_clients_normal:0',
      'mem_cluster_links:0',
      'mem_aof_buffer:0',
      'mem_allocator:v8',
      'active_defrag_running:0',
      'lazyfree_pending_objects:0',
      'lazyfreed_objects:0',
    ];
  },
  persistence: ({ node }) => [
    // No RDB or AOF yet: nothing is loading, saving or saved.
    'loading:0',
    'async_loading:0',
    'current_cow_peak:0',
    'current_cow_size:0',
    'current_cow_size_age:0',
    'current_fork_perc:0.00',
    'current_save_keys_processed:0',
    'current_save_keys_total:0',
    `rdb_changes_since_last_save:${node.keyspace.dirty}`,
    'rdb_bgsave_in_progress:0',
    `rdb_last_save_time:${Math.floor(node.lastSaveMs / 1000)}`,
    'rdb_last_bgsave_status:ok',
    'rdb_last_bgsave_time_sec:-1',
    'rdb_current_bgsave_time_sec:-1',
    'rdb_saves:0',
    'rdb_last_cow_size:0',
    'rdb_last_load_keys_expired:0',
    'rdb_last_load_keys_loaded:0',
    'aof_enabled:0',
    'aof_rewrite_in_progress:0',
    'aof_rewrite_scheduled:0',
    'aof_last_rewrite_time_sec:-1',
    'aof_current_rewrite_time_sec:-1',
    'aof_last_bgrewrite_status:ok',
    'aof_rewrites:0',
    'aof_rewrites_consecutive_failures:0',
    'aof_last_write_status:ok',
    'aof_last_cow_size:0',
    'module_fork_in_progress:0',
    'module_fork_last_cow_size:0',
  ],
  stats: ({ node, meter }) => {
    const st = node.stats;
    const ks = node.keyspace.stats;
    const r = meter.rates(node.keyspace.nowMs, st.totalCommandsProcessed, st.totalNetInputBytes, st.totalNetOutputBytes);
    let patterns = 0;
    for (const subs of node.pubsub.patterns.values()) if (subs.size > 0) patterns++;
    return [
      `total_connections_received:${st.totalConnectionsReceived}`,
      `total_commands_processed:${st.totalCommandsProcessed}`,
      `instantaneous_ops_per_sec:${r.opsPerSec}`,
      `total_net_input_bytes:${st.totalNetInputBytes}`,
      `total_net_output_bytes:${st.totalNetOutputBytes}`,
      'total_net_repl_input_bytes:0',
      'total_net_repl_output_bytes:0',
      `instantaneous_input_kbps:${r.inKbps.toFixed(2)}`,
      `instantaneous_output_kbps:${r.outKbps.toFixed(2)}`,
      'instantaneous_input_repl_kbps:0.00',
      'instantaneous_output_repl_kbps:0.00',
      `rejected_connections:${st.rejectedConnections}`,
      ...replicationSyncStatsLines(node.replication?.state ?? null),
      `expired_keys:${ks.expiredKeys}`,
      `expired_stale_perc:${(ks.expiredStalePerc * 100).toFixed(2)}`,
      `expired_time_cap_reached_count:${ks.expiredTimeCapReachedCount}`,
      'expire_cycle_cpu_milliseconds:0',
      `evicted_keys:${ks.evictedKeys}`,
      'evicted_clients:0',
      'total_eviction_exceeded_time:0',
      'current_eviction_exceeded_time:0',
      `keyspace_hits:${ks.keyspaceHits}`,
      `keyspace_misses:${ks.keyspaceMisses}`,
      `pubsub_channels:${node.pubsub.channels.size}`,
      `pubsub_patterns:${patterns}`,
      'pubsubshard_channels:0',
      'latest_fork_usec:0',
      'total_forks:0',
      'migrate_cached_sockets:0',
      'slave_expires_tracked_keys:0',
      'active_defrag_hits:0',
      'active_defrag_misses:0',
      'active_defrag_key_hits:0',
      'active_defrag_key_misses:0',
      'total_active_defrag_time:0',
      'current_active_defrag_time:0',
      'tracking_total_keys:0',
      'tracking_total_items:0',
      'tracking_total_prefixes:0',
      'unexpected_error_replies:0',
      `total_error_replies:${st.totalErrorReplies}`,
      'dump_payload_sanitizations:0',
      'total_reads_processed:0',
      'total_writes_processed:0',
      'io_threaded_reads_processed:0',
      'io_threaded_writes_processed:0',
      'reply_buffer_shrinks:0',
      'reply_buffer_expands:0',
    ];
  },
  replication: ({ node }) => node.replication?.infoLines() ?? [
    'role:master',
    'connected_slaves:0',
    'master_failover_state:no-failover',
    `master_replid:${node.runId}`,
    'master_replid2:0000000000000000000000000000000000000000',
    'master_repl_offset:0',
    'second_repl_offset:-1',
    'repl_backlog_active:0',
    'repl_backlog_size:1048576',
    'repl_backlog_first_byte_offset:0',
    'repl_backlog_histlen:0',
  ],
  cpu: ({ facts }) => {
    const c = facts.cpuSeconds();
    return [
      `used_cpu_sys:${c.sys.toFixed(6)}`,
      `used_cpu_user:${c.user.toFixed(6)}`,
      'used_cpu_sys_children:0.000000',
      'used_cpu_user_children:0.000000',
      `used_cpu_sys_main_thread:${c.sys.toFixed(6)}`,
      `used_cpu_user_main_thread:${c.user.toFixed(6)}`,
    ];
  },
  modules: () => [],
  commandstats: ({ node }) => {
    const out: Lines = [];
    for (const [name, st] of node.stats.commands) {
      if (st.calls === 0 && st.failedCalls === 0 && st.rejectedCalls === 0) continue;
      const usec = Math.round(st.usec);
      const perCall = st.calls === 0 ? 0 : st.usec / st.calls;
      out.push(
        `cmdstat_${name}:calls=${st.calls},usec=${usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${st.rejectedCalls},failed_calls=${st.failedCalls}`,
      );
    }
    return out;
  },
  errorstats: ({ node }) => {
    const out: Lines = [];
    for (const [code, n] of node.stats.errors) out.push(`errorstat_${code}:count=${n}`);
    return out;
  },
  latencystats: ({ node }) => {
    const percentiles = (node.config.get('latency-tracking-info-percentiles') ?? '')
      .split(/\s+/)
      .filter((t) => t !== '')
      .map(Number)
      .filter((n) => Number.isFinite(n));
    const out: Lines = [];
    for (const [name, h] of node.latencyTracker.byCommand) {
      if (h.total === 0) continue;
      const parts = percentiles.map((p) => `p${p}=${(h.percentile(p) / 1000).toFixed(3)}`);
      out.push(`latency_percentiles_usec_${name}:${parts.join(',')}`);
    }
    return out;
  },
  cluster: ({ node }) => [`cluster_enabled:${node.clusterEnabled ? 1 : 0}`],
  failover: ({ node }) => [...(node.cluster?.failoverInfoLines?.() ?? [])],
  keyspace: ({ node }) => {
    const out: Lines = [];
    const now = node.keyspace.nowMs;
    for (const db of node.keyspace.dbs) {
      if (db.size === 0) continue;
      out.push(`db${db.id}:keys=${db.size},expires=${db.expiresCount},avg_ttl=${averageTtlMs(db.expires, now)}`);
    }
    return out;
  },
};

/** Samples this many TTLs at most, so INFO stays cheap on a big keyspace. */
const AVG_TTL_SAMPLE = 1000;

function averageTtlMs(expires: { size: number; valAt(i: number): number | undefined }, nowMs: number): number {
  const n = Math.min(expires.size, AVG_TTL_SAMPLE);
  if (n === 0) return 0;
  let sum = 0;
  let counted = 0;
  // Evenly spaced positions, so a sample is not biased to the oldest TTLs.
  const stride = expires.size / n;
  for (let i = 0; i < n; i++) {
    const at = expires.valAt(Math.floor(i * stride));
    if (at === undefined || at <= nowMs) continue;
    sum += at - nowMs;
    counted++;
  }
  return counted === 0 ? 0 : Math.round(sum / counted);
}
