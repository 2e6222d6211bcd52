// The configuration table: every directive redis-server 7.0 accepts, plus
// Tessera's own, as data. The config-file parser, `--flag value` arguments,
// CONFIG GET/SET/REWRITE and the docs are all driven from this one table.

export type DirectiveType = 'bool' | 'int' | 'memory' | 'string' | 'enum' | 'flags' | 'special';

export interface Directive {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly type: DirectiveType;
  /** Default as CONFIG GET shows it. */
  readonly default: string;
  readonly min?: number;
  readonly max?: number;
  /** enum/flags: allowed words. */
  readonly values?: readonly string[];
  /** May CONFIG SET change it at run time? */
  readonly mutable: boolean;
  /** Does Tessera act on it yet? Unimplemented ones are stored and logged once at start. */
  readonly implemented: boolean;
  readonly doc: string;
}

export const DIRECTIVES: readonly Directive[] = [
  { name: 'port', type: 'int', default: '6379', min: 0, max: 65535, mutable: false, implemented: true, doc: 'TCP port for clients.' },
  { name: 'bind', type: 'string', default: '* -::*', mutable: false, implemented: true, doc: 'Addresses to listen on.' },
  { name: 'databases', type: 'int', default: '16', min: 1, max: 2147483647, mutable: false, implemented: true, doc: 'Number of databases in standalone mode.' },
  { name: 'requirepass', type: 'string', default: '', mutable: true, implemented: true, doc: 'Password of the default user.' },
  { name: 'maxmemory', type: 'memory', default: '0', min: 0, mutable: true, implemented: true, doc: 'Memory limit for data; 0 means none.' },
  { name: 'maxmemory-policy', type: 'enum', default: 'noeviction', values: ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'], mutable: true, implemented: true, doc: 'What to evict when maxmemory is reached.' },
  { name: 'maxmemory-samples', type: 'int', default: '5', min: 1, max: 64, mutable: true, implemented: true, doc: 'Keys sampled per eviction.' },
  { name: 'hz', type: 'int', default: '10', min: 0, max: 2147483647, mutable: true, implemented: true, doc: 'Background task frequency.' },
  { name: 'loglevel', type: 'enum', default: 'notice', values: ['debug', 'verbose', 'notice', 'warning', 'nothing'], mutable: true, implemented: true, doc: 'Log verbosity.' },
  { name: 'logfile', type: 'string', default: '', mutable: false, implemented: true, doc: 'Log file; empty means standard output.' },
  { name: 'proto-max-bulk-len', type: 'memory', default: '536870912', min: 1048576, mutable: true, implemented: true, doc: 'Longest bulk string a client may send.' },
  { name: 'client-query-buffer-limit', type: 'memory', default: '1073741824', min: 1048576, mutable: true, implemented: true, doc: 'Unparsed bytes a client may hold.' },
  { name: 'notify-keyspace-events', type: 'special', default: '', mutable: true, implemented: true, doc: 'Keyspace notification classes.' },
  { name: 'availability-zone', type: 'string', default: '', mutable: true, implemented: true, doc: 'Availability zone of this node (Valkey name).' },
  { name: 'dir', type: 'string', default: '', mutable: true, implemented: true, doc: 'Working directory for data files.' },
  { name: 'maxclients', type: 'int', default: '10000', min: 1, max: 2147483647, mutable: true, implemented: true, doc: 'Maximum connected clients.' },
  { name: 'timeout', type: 'int', default: '0', min: 0, max: 2147483647, mutable: true, implemented: true, doc: 'Close idle clients after this many seconds; 0 never.' },
  { name: 'tcp-keepalive', type: 'int', default: '300', min: 0, max: 2147483647, mutable: true, implemented: true, doc: 'TCP keepalive interval in seconds.' },
  { name: 'slowlog-log-slower-than', type: 'int', default: '10000', min: -1, max: 9223372036854775807, mutable: true, implemented: true, doc: 'Log commands slower than this many microseconds; -1 disables, 0 logs all.' },
  { name: 'slowlog-max-len', type: 'int', default: '128', min: 0, max: 9223372036854775807, mutable: true, implemented: true, doc: 'Entries the slow log keeps.' },
  { name: 'latency-monitor-threshold', type: 'int', default: '0', min: 0, max: 9223372036854775807, mutable: true, implemented: true, doc: 'Record latency events above this many ms; 0 disables.' },
  { name: 'enable-debug-command', type: 'enum', default: 'no', values: ['no', 'yes', 'local'], mutable: false, implemented: true, doc: 'Allow DEBUG: no, yes, or only from loopback clients.' },
];
