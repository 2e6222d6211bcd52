// The configuration table: every directive redis-server 7.0 accepts, plus
// Tessera's own, as data. The config-file parser, `--flag value` arguments,
// CONFIG GET/SET/REWRITE and the docs are all driven from this one table.
// Types, bounds, defaults and mutability are redis-server 7.0.15's (checked
// against a running redis-server); `implemented` says whether Tessera acts on
// the value yet: the others are stored, shown, rewritten and logged once at
// start as not in effect.

export type DirectiveType = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'flags' | 'special';

export interface Directive {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: DirectiveType;
  /** Default as CONFIG GET shows it. */
  readonly default: string;
  /** int/memory bounds (inclusive), as Redis declares them. */
  readonly min?: number | bigint;
  readonly max?: number | bigint;
  /** int/memory: the C type is unsigned (a negative input wraps above max). */
  readonly unsigned?: boolean;
  /** memory: also accepts "N%" (stored negative, as Redis does). */
  readonly percent?: boolean;
  /** int: written and read in octal (unixsocketperm). */
  readonly octal?: boolean;
  /** enum/flags: allowed words, in Redis's order. */
  readonly values?: readonly string[];
  /** May CONFIG SET change it at run time? */
  readonly mutable: boolean;
  /** CONFIG SET refuses it unless enable-protected-configs allows the client. */
  readonly protected?: boolean;
  /** Only an exact CONFIG GET name shows it, never a pattern. */
  readonly hidden?: boolean;
  /** Does Tessera act on it yet? Unimplemented ones are stored and logged once at start. */
  readonly implemented: boolean;
  /** Extra validity check for a string value: an error reason or null. */
  readonly check?: (value: string) => string | null;
  readonly doc: string;
}

const INT_MAX = 2147483647;
const INT_MIN = -2147483648;
const UINT_MAX = 4294967295;
const LONG_MAX = 9223372036854775807n;
const LLONG_MAX = LONG_MAX;
const ULLONG_MAX = 18446744073709551615n;

type Extra = Partial<Omit<Directive, 'name' | 'type' | 'default' | 'doc'>>;

function bool(name: string, def: boolean, mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'bool', default: def ? 'yes' : 'no', mutable, implemented, doc, ...extra };
}

function int(name: string, def: number, min: number | bigint, max: number | bigint, mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'int', default: String(def), min, max, mutable, implemented, doc, ...extra };
}

function mem(name: string, def: number, min: number | bigint, max: number | bigint, mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'memory', default: String(def), min, max, mutable, implemented, doc, ...extra };
}

function str(name: string, def: string, mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'string', default: def, mutable, implemented, doc, ...extra };
}

function enm(name: string, def: string, values: readonly string[], mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'enum', default: def, values, mutable, implemented, doc, ...extra };
}

function flagsEnum(name: string, def: string, values: readonly string[], mutable: boolean, implemented: boolean, doc: string): Directive {
  return { name, type: 'flags', default: def, values, mutable, implemented, doc };
}

function special(name: string, def: string, mutable: boolean, implemented: boolean, doc: string, extra: Extra = {}): Directive {
  return { name, type: 'special', default: def, mutable, implemented, doc, ...extra };
}

const PROTECTED_ACTION = ['no', 'yes', 'local'] as const;

function baseName(what: string, kind: string): (v: string) => string | null {
  return (v) => (v.includes('/') ? `${what} can't be a path, just a ${kind}` : null);
}

const TITLE_VARS = new Set(['title', 'listen-addr', 'server-mode', 'port', 'tls-port', 'unixsocket', 'config-file']);

function validTitleTemplate(v: string): string | null {
  const bad = 'template format is invalid or contains unknown variables';
  let sawTitle = false;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === '}') return bad;
    if (v[i] !== '{') continue;
    const end = v.indexOf('}', i);
    if (end < 0) return bad;
    const name = v.slice(i + 1, end);
    if (!TITLE_VARS.has(name)) return bad;
    if (name === 'title') sawTitle = true;
    i = end;
  }
  // Redis requires {title} so that tools looking for the process name keep working.
  return sawTitle ? null : bad;
}

function validHostname(v: string): string | null {
  if (v.length >= 256) return 'Hostnames must be less than 256 characters';
  return /^[A-Za-z0-9.-]*$/.test(v) ? null : 'Hostnames may only contain alphanumeric characters, hyphens or dots';
}

export const DIRECTIVES: readonly Directive[] = [
  // Network and clients.
  int('port', 6379, 0, 65535, true, true, 'TCP port for clients.'),
  special('bind', '* -::*', true, true, 'Addresses to listen on; a leading "-" makes one optional.'),
  str('bind-source-addr', '', true, false, 'Source address for outgoing connections.'),
  bool('protected-mode', true, true, true, 'Refuse non-loopback clients while no password is set and bind is the default.'),
  int('tcp-backlog', 511, 0, INT_MAX, false, false, 'Listen backlog.'),
  int('timeout', 0, 0, INT_MAX, true, true, 'Close idle clients after this many seconds; 0 never.'),
  int('tcp-keepalive', 300, 0, INT_MAX, true, true, 'TCP keepalive interval in seconds.'),
  int('maxclients', 10000, 1, UINT_MAX, true, true, 'Maximum connected clients.', { unsigned: true }),
  str('unixsocket', '', false, false, 'Unix socket path.'),
  int('unixsocketperm', 0, 0, 0o777, false, false, 'Unix socket permissions (octal).', { unsigned: true, octal: true }),
  int('socket-mark-id', 0, 0, UINT_MAX, false, false, 'SO_MARK of listening sockets.', { unsigned: true }),
  mem('proto-max-bulk-len', 536870912, 1048576, LONG_MAX, true, true, 'Longest bulk string a client may send.'),
  mem('client-query-buffer-limit', 1073741824, 1048576, LONG_MAX, true, true, 'Unparsed bytes a client may hold.', { unsigned: true }),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', true, false, 'Output buffer limits per client class.'),
  mem('maxmemory-clients', 0, -100, LONG_MAX, true, false, 'Memory limit for all client buffers (bytes or % of maxmemory).', { percent: true }),

  // General.
  bool('daemonize', false, false, true, 'Run in the background (writes pidfile).'),
  str('pidfile', '', false, true, 'Where to write the process id.'),
  enm('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], false, false, 'Supervision tree interaction.'),
  enm('loglevel', 'notice', ['debug', 'verbose', 'notice', 'warning'], true, true, 'Log verbosity.'),
  str('logfile', '', false, true, 'Log file; empty means standard output.'),
  bool('syslog-enabled', false, false, false, 'Log to syslog.'),
  str('syslog-ident', 'redis', false, false, 'Syslog identity.'),
  enm('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], false, false, 'Syslog facility.'),
  bool('crash-log-enabled', true, true, false, 'Log a stack trace on crash.'),
  bool('crash-memcheck-enabled', true, true, false, 'Memory check on crash.'),
  int('databases', 16, 1, INT_MAX, false, true, 'Number of databases in standalone mode.'),
  bool('always-show-logo', false, false, false, 'Show the ASCII logo at start.'),
  bool('set-proc-title', true, false, false, 'Change the process title.'),
  str('proc-title-template', '{title} {listen-addr} {server-mode}', true, false, 'Process title template.', { check: validTitleTemplate }),
  str('ignore-warnings', '', true, false, 'Startup warnings to suppress.'),
  enm('enable-protected-configs', 'no', PROTECTED_ACTION, false, true, 'Allow CONFIG SET of protected directives (dir, dbfilename).'),
  enm('enable-debug-command', 'no', PROTECTED_ACTION, false, true, 'Allow DEBUG: no, yes, or only from loopback clients.'),
  enm('enable-module-command', 'no', PROTECTED_ACTION, false, false, 'Allow MODULE.'),
  flagsEnum('shutdown-on-sigint', 'default', ['default', 'save', 'nosave', 'now', 'force'], true, false, 'SHUTDOWN flags on SIGINT.'),
  flagsEnum('shutdown-on-sigterm', 'default', ['default', 'save', 'nosave', 'now', 'force'], true, false, 'SHUTDOWN flags on SIGTERM.'),
  int('shutdown-timeout', 10, 0, INT_MAX, true, true, 'Seconds SHUTDOWN waits for replicas.'),
  bool('disable-thp', true, false, false, 'Disable transparent huge pages.'),
  str('server_cpulist', '', false, false, 'CPU affinity of the main thread.'),
  str('bio_cpulist', '', false, false, 'CPU affinity of background I/O threads.'),
  str('aof_rewrite_cpulist', '', false, false, 'CPU affinity of AOF rewrite.'),
  str('bgsave_cpulist', '', false, false, 'CPU affinity of BGSAVE.'),
  int('io-threads', 1, 1, 128, false, false, 'I/O threads.'),
  bool('io-threads-do-reads', false, false, false, 'I/O threads also read.'),
  enm('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute'], true, false, 'Set oom_score_adj.'),
  special('oom-score-adj-values', '0 200 800', true, false, 'oom_score_adj for primary, replica, background child.'),
  bool('jemalloc-bg-thread', true, true, false, 'Jemalloc background purging.'),
  int('hz', 10, 0, INT_MAX, true, true, 'Background task frequency (clamped to 1..500).'),
  bool('dynamic-hz', true, true, false, 'Scale hz with the number of clients.'),
  int('active-expire-effort', 1, 1, 10, true, false, 'Active expiry effort.'),
  bool('activerehashing', true, true, false, 'Incremental rehashing.'),
  int('watchdog-period', 0, 0, INT_MAX, true, false, 'Software watchdog period in ms.', { hidden: true }),
  bool('use-exit-on-panic', false, true, false, 'Exit instead of abort on panic.', { hidden: true }),

  // Security.
  str('requirepass', '', true, true, 'Password of the default user.'),
  str('aclfile', '', false, false, 'ACL users file.'),
  int('acllog-max-len', 128, 0, LONG_MAX, true, false, 'Entries kept in ACL LOG.', { unsigned: true }),
  enm('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels'], true, false, 'Default channel permissions of new users.'),

  // Memory.
  mem('maxmemory', 0, 0, ULLONG_MAX, true, true, 'Memory limit for data; 0 means none.', { unsigned: true }),
  enm('maxmemory-policy', 'noeviction', ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], true, true, 'What to evict when maxmemory is reached.'),
  int('maxmemory-samples', 5, 1, INT_MAX, true, true, 'Keys sampled per eviction.'),
  int('maxmemory-eviction-tenacity', 10, 0, 100, true, true, 'How long eviction may run per command.'),
  bool('replica-ignore-maxmemory', true, true, true, 'Replicas ignore maxmemory.', { aliases: ['slave-ignore-maxmemory'] }),
  int('lfu-log-factor', 10, 0, INT_MAX, true, true, 'LFU counter logarithm factor.'),
  int('lfu-decay-time', 1, 0, INT_MAX, true, true, 'Minutes for the LFU counter to decay.'),
  bool('lazyfree-lazy-eviction', false, true, true, 'Free evicted values in the background (no-op: values are freed by GC).'),
  bool('lazyfree-lazy-expire', false, true, true, 'Free expired values in the background (no-op).'),
  bool('lazyfree-lazy-server-del', false, true, true, 'Free overwritten values in the background (no-op).'),
  bool('lazyfree-lazy-user-del', false, true, true, 'DEL behaves like UNLINK (no-op).'),
  bool('lazyfree-lazy-user-flush', false, true, true, 'FLUSH* default to ASYNC (no-op).'),
  bool('activedefrag', false, true, false, 'Active defragmentation.', {
    check: (v) => (v === 'yes' ? 'Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution' : null),
  }),
  mem('active-defrag-ignore-bytes', 104857600, 1, LLONG_MAX, true, false, 'Defrag threshold in bytes.', { unsigned: true }),
  int('active-defrag-threshold-lower', 10, 0, 1000, true, false, 'Defrag lower threshold (%).'),
  int('active-defrag-threshold-upper', 100, 0, 1000, true, false, 'Defrag upper threshold (%).'),
  int('active-defrag-cycle-min', 1, 1, 99, true, false, 'Defrag minimal CPU effort (%).'),
  int('active-defrag-cycle-max', 25, 1, 99, true, false, 'Defrag maximal CPU effort (%).'),
  int('active-defrag-max-scan-fields', 1000, 1, LONG_MAX, true, false, 'Fields scanned per defrag step.', { unsigned: true }),

  // Encodings.
  int('hash-max-listpack-entries', 512, 0, LONG_MAX, true, true, 'Hash listpack entry threshold.', { unsigned: true, aliases: ['hash-max-ziplist-entries'] }),
  mem('hash-max-listpack-value', 64, 0, LONG_MAX, true, true, 'Hash listpack value threshold.', { unsigned: true, aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, INT_MIN, INT_MAX, true, true, 'List node size (negative: bytes class).', { aliases: ['list-max-ziplist-size'] }),
  int('list-compress-depth', 0, 0, INT_MAX, true, false, 'Uncompressed list nodes at each end.'),
  int('set-max-intset-entries', 512, 0, LONG_MAX, true, true, 'Set intset threshold.', { unsigned: true }),
  int('zset-max-listpack-entries', 128, 0, LONG_MAX, true, true, 'Sorted set listpack entry threshold.', { unsigned: true, aliases: ['zset-max-ziplist-entries'] }),
  mem('zset-max-listpack-value', 64, 0, LONG_MAX, true, true, 'Sorted set listpack value threshold.', { unsigned: true, aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', 3000, 0, LONG_MAX, true, false, 'HyperLogLog sparse representation limit.', { unsigned: true }),
  mem('stream-node-max-bytes', 4096, 0, LONG_MAX, true, false, 'Stream node size limit.', { unsigned: true }),
  int('stream-node-max-entries', 100, 0, LLONG_MAX, true, false, 'Stream node entry limit.'),

  // Persistence.
  special('save', '3600 1 300 100 60 10000', true, false, 'RDB snapshot points: seconds changes pairs.'),
  special('dir', '', true, true, 'Working directory for data files.', { protected: true }),
  str('dbfilename', 'dump.rdb', true, false, 'RDB file name.', { protected: true, check: baseName('dbfilename', 'filename') }),
  bool('stop-writes-on-bgsave-error', true, true, false, 'Refuse writes after a failed BGSAVE.'),
  bool('rdbcompression', true, true, false, 'Compress RDB strings.'),
  bool('rdbchecksum', true, false, false, 'RDB checksum.'),
  bool('rdb-del-sync-files', false, true, false, 'Delete RDB files used only for replication.'),
  bool('rdb-save-incremental-fsync', true, true, false, 'Incremental fsync while saving RDB.'),
  int('rdb-key-save-delay', 0, INT_MIN, INT_MAX, true, false, 'Testing: delay per key while saving.', { hidden: true }),
  int('key-load-delay', 0, INT_MIN, INT_MAX, true, false, 'Testing: delay per key while loading.', { hidden: true }),
  int('loading-process-events-interval-bytes', 2097152, 1024, INT_MAX, true, false, 'Bytes between event processing while loading.', { hidden: true }),
  enm('sanitize-dump-payload', 'no', ['no', 'yes', 'clients'], true, false, 'Deep-check RESTORE payloads.'),
  bool('appendonly', false, true, false, 'Append-only file persistence.'),
  str('appendfilename', 'appendonly.aof', false, false, 'AOF base name.', {
    check: (v) => (v === '' ? "appendfilename can't be empty" : baseName('appendfilename', 'filename')(v)),
  }),
  str('appenddirname', 'appendonlydir', false, false, 'AOF directory.', {
    check: (v) => (v === '' ? "appenddirname can't be empty" : baseName('appenddirname', 'dirname')(v)),
  }),
  enm('appendfsync', 'everysec', ['everysec', 'always', 'no'], true, false, 'AOF fsync policy.'),
  bool('no-appendfsync-on-rewrite', false, true, false, 'Skip fsync during rewrites.'),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX, true, false, 'AOF growth that triggers a rewrite (%).'),
  mem('auto-aof-rewrite-min-size', 67108864, 0, LLONG_MAX, true, false, 'Minimal AOF size for automatic rewrite.'),
  bool('aof-load-truncated', true, true, false, 'Load a truncated AOF.'),
  bool('aof-use-rdb-preamble', true, true, false, 'RDB preamble in AOF rewrites.'),
  bool('aof-timestamp-enabled', false, true, false, 'Timestamps in the AOF.'),
  bool('aof-rewrite-incremental-fsync', true, true, false, 'Incremental fsync during AOF rewrite.'),
  bool('aof-disable-auto-gc', false, true, false, 'Keep history AOF files.'),

  // Replication.
  special('replicaof', '', false, true, 'Primary to replicate: host port.', { aliases: ['slaveof'] }),
  str('masterauth', '', true, false, 'Password for the primary.'),
  str('masteruser', '', true, false, 'User for the primary.'),
  bool('replica-serve-stale-data', true, true, true, 'Serve data while the link is down.', { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', true, true, true, 'Replicas refuse writes.', { aliases: ['slave-read-only'] }),
  bool('repl-diskless-sync', true, true, false, 'Stream snapshots without disk.'),
  int('repl-diskless-sync-delay', 5, 0, INT_MAX, true, false, 'Seconds to wait for more replicas.'),
  int('repl-diskless-sync-max-replicas', 0, 0, INT_MAX, true, false, 'Start a diskless sync once this many replicas wait.'),
  enm('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb'], true, false, 'Load snapshots without disk.'),
  int('repl-ping-replica-period', 10, 1, INT_MAX, true, true, 'Seconds between pings to replicas.', { aliases: ['repl-ping-slave-period'] }),
  int('repl-timeout', 60, 1, INT_MAX, true, true, 'Replication timeout in seconds.'),
  bool('repl-disable-tcp-nodelay', false, true, false, 'Disable TCP_NODELAY on the replication link.'),
  mem('repl-backlog-size', 1048576, 1, LLONG_MAX, true, true, 'Replication backlog size.'),
  int('repl-backlog-ttl', 3600, 0, LONG_MAX, true, false, 'Seconds before freeing an unused backlog.'),
  int('replica-priority', 100, 0, INT_MAX, true, true, 'Promotion priority; 0 never.', { aliases: ['slave-priority'] }),
  bool('replica-announced', true, true, true, 'Show this replica to Sentinel.'),
  int('min-replicas-to-write', 0, 0, INT_MAX, true, false, 'Refuse writes with fewer good replicas.', { aliases: ['min-slaves-to-write'] }),
  int('min-replicas-max-lag', 10, 0, INT_MAX, true, false, 'Lag (s) of a good replica.', { aliases: ['min-slaves-max-lag'] }),
  str('replica-announce-ip', '', true, true, 'IP announced to the primary.', { aliases: ['slave-announce-ip'] }),
  int('replica-announce-port', 0, 0, 65535, true, true, 'Port announced to the primary.', { aliases: ['slave-announce-port'] }),
  bool('replica-lazy-flush', false, true, false, 'Flush asynchronously on full sync.', { aliases: ['slave-lazy-flush'] }),
  bool('replica-ignore-disk-write-errors', false, true, false, 'Keep replicating after a disk write error.'),
  enm('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas'], true, false, 'What to do on a replicated command error.'),

  // Cluster.
  bool('cluster-enabled', false, false, true, 'Cluster mode.'),
  str('cluster-config-file', 'nodes.conf', false, true, 'Cluster state file.'),
  int('cluster-node-timeout', 15000, 0, LLONG_MAX, true, true, 'Milliseconds before a node is considered failing.'),
  int('cluster-port', 0, 0, 65535, false, true, 'Cluster bus port; 0 means port + 10000.'),
  int('cluster-replica-validity-factor', 10, 0, INT_MAX, true, true, 'Replica data age factor for failover.', { aliases: ['cluster-slave-validity-factor'] }),
  int('cluster-migration-barrier', 1, 0, INT_MAX, true, true, 'Replicas a primary keeps before one migrates.'),
  bool('cluster-allow-replica-migration', true, true, true, 'Allow replica migration.'),
  bool('cluster-require-full-coverage', true, true, true, 'Stop serving when a slot is uncovered.'),
  bool('cluster-replica-no-failover', false, true, false, 'Never fail over this replica.', { aliases: ['cluster-slave-no-failover'] }),
  bool('cluster-allow-reads-when-down', false, true, true, 'Serve reads while the cluster is down.'),
  bool('cluster-allow-pubsubshard-when-down', true, true, true, 'Serve shard pub/sub while the cluster is down.'),
  str('cluster-announce-ip', '', true, true, 'IP announced to the cluster.'),
  int('cluster-announce-port', 0, 0, 65535, true, true, 'Client port announced to the cluster.'),
  int('cluster-announce-bus-port', 0, 0, 65535, true, true, 'Bus port announced to the cluster.'),
  int('cluster-announce-tls-port', 0, 0, 65535, true, false, 'TLS port announced to the cluster.'),
  str('cluster-announce-hostname', '', true, true, 'Hostname announced to the cluster.', { check: validHostname }),
  enm('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint'], true, true, 'Endpoint type in MOVED/ASK and CLUSTER SLOTS.'),
  mem('cluster-link-sendbuf-limit', 0, 0, ULLONG_MAX, true, false, 'Send buffer limit of a cluster link.', { unsigned: true }),
  // Tessera's own (Valkey's name where one exists).
  str('availability-zone', '', true, true, 'Availability zone of this node (Valkey name).'),
  bool('cluster-sync-replication', false, true, true, 'Acknowledge a write only once a replica in another zone has it.'),
  int('cluster-sync-replication-timeout', 1000, 0, INT_MAX, true, true, 'Milliseconds a synchronous write waits for a replica.'),

  // Monitoring, limits, misc.
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX, true, true, 'Log commands slower than this many microseconds; -1 disables, 0 logs all.'),
  int('slowlog-max-len', 128, 0, LONG_MAX, true, true, 'Entries the slow log keeps.', { unsigned: true }),
  int('latency-monitor-threshold', 0, 0, LLONG_MAX, true, true, 'Record latency events above this many ms; 0 disables.'),
  bool('latency-tracking', true, true, true, 'Per-command latency histograms.'),
  special('latency-tracking-info-percentiles', '50 99 99.9', true, true, 'Percentiles INFO latencystats shows.'),
  int('busy-reply-threshold', 5000, 0, LONG_MAX, true, false, 'Milliseconds before a script is reported busy.', { aliases: ['lua-time-limit'] }),
  special('notify-keyspace-events', '', true, true, 'Keyspace notification classes.'),
  int('tracking-table-max-keys', 1000000, 0, LONG_MAX, true, false, 'Keys tracked for client-side caching.', { unsigned: true }),

  // TLS (accepted for scripts; TLS is not served yet).
  int('tls-port', 0, 0, 65535, true, false, 'TLS port.'),
  int('tls-session-cache-size', 20480, 0, INT_MAX, true, false, 'TLS session cache entries.'),
  int('tls-session-cache-timeout', 300, 0, INT_MAX, true, false, 'TLS session cache timeout.'),
  bool('tls-cluster', false, true, false, 'TLS on the cluster bus.'),
  bool('tls-replication', false, true, false, 'TLS for replication.'),
  enm('tls-auth-clients', 'yes', ['no', 'yes', 'optional'], true, false, 'Require client certificates.'),
  bool('tls-prefer-server-ciphers', false, true, false, 'Prefer server ciphers.'),
  bool('tls-session-caching', true, true, false, 'TLS session caching.'),
  str('tls-cert-file', '', true, false, 'Server certificate.'),
  str('tls-key-file', '', true, false, 'Server key.'),
  str('tls-key-file-pass', '', true, false, 'Server key passphrase.'),
  str('tls-client-cert-file', '', true, false, 'Client certificate.'),
  str('tls-client-key-file', '', true, false, 'Client key.'),
  str('tls-client-key-file-pass', '', true, false, 'Client key passphrase.'),
  str('tls-dh-params-file', '', true, false, 'DH parameters.'),
  str('tls-ca-cert-file', '', true, false, 'CA certificate file.'),
  str('tls-ca-cert-dir', '', true, false, 'CA certificate directory.'),
  str('tls-protocols', '', true, false, 'TLS protocol versions.'),
  str('tls-ciphers', '', true, false, 'TLS 1.2 ciphers.'),
  str('tls-ciphersuites', '', true, false, 'TLS 1.3 cipher suites.'),
];
