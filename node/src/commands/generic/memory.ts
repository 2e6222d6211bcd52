// MEMORY: answers from Tessera's own accounting (NodeState.usedMemory, the
// per-key accounted bytes), laid out as redis-server 7.0 lays it out. The
// allocator figures come from V8 (heap used/total, RSS), the nearest thing
// to jemalloc's allocated/active/resident.

import { NO_KEYS, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';
import { is, parseInteger } from '../args.js';
import { STARTUP_BYTES } from '../../keyspace/keyspace.js';
import { EXPIRE_OVERHEAD_BYTES, KEY_OVERHEAD_BYTES } from '../../keyspace/database.js';
import { replyHelp } from '../server/help.js';

/** Below this, MEMORY DOCTOR declines to diagnose (Redis: 5 MB). */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

const usage = {
  name: 'usage',
  arity: -3,
  flags: ['readonly'],
  group: 'server',
  keys: { first: 2, last: 2, step: 1 },
  acl: ['@read', '@slow'],
  summary: 'Estimate the memory usage of a key',
  since: '4.0.0',
  complexity: 'O(N) where N is the number of samples.',
  run(s, args) {
    for (let j = 3; j < args.length; j++) {
      if (is(args[j], 'samples') && j + 1 < args.length) {
        const n = parseInteger(args[++j]!);
        if (n === null) {
          s.error(Err.notInteger);
          return;
        }
        if (n < 0) {
          s.error(Err.syntax);
          return;
        }
        // Sizes are maintained exactly as values change, so there is nothing to sample.
      } else {
        s.error(Err.syntax);
        return;
      }
    }
    const key = args[2]!;
    if (s.db.peek(key, s.nowMs) === undefined) {
      s.out.nil();
      return;
    }
    s.out.int(s.db.bytesOf(key)!);
  },
} as const satisfies CommandSpec;

/** Redis's getMemoryOverheadData, from our accounting. */
function overhead(s: Session): {
  total: number;
  peak: number;
  dbs: { id: number; main: number; expires: number }[];
  overheadTotal: number;
  keys: number;
} {
  const node = s.node;
  const total = node.usedMemory();
  const dbs: { id: number; main: number; expires: number }[] = [];
  let overheadTotal = STARTUP_BYTES;
  let keys = 0;
  for (const d of node.keyspace.dbs) {
    if (d.size === 0) continue;
    const main = d.size * KEY_OVERHEAD_BYTES;
    const expires = d.expiresCount * EXPIRE_OVERHEAD_BYTES;
    dbs.push({ id: d.id, main, expires });
    overheadTotal += main + expires;
    keys += d.size;
  }
  return { total, peak: node.usedMemoryPeak, dbs, overheadTotal, keys };
}

const stats = {
  name: 'stats',
  arity: 2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'Show memory usage details',
  since: '4.0.0',
  complexity: 'O(1)',
  run(s) {
    const o = overhead(s);
    const mem = process.memoryUsage();
    const allocated = mem.heapUsed + mem.external;
    const active = mem.heapTotal + mem.external;
    const resident = mem.rss;
    const net = Math.max(1, o.total - STARTUP_BYTES);
    const dataset = Math.max(0, o.total - o.overheadTotal);
    const out = s.out;
    out.map(27 + o.dbs.length);
    out.bulk('peak.allocated');
    out.int(o.peak);
    out.bulk('total.allocated');
    out.int(o.total);
    out.bulk('startup.allocated');
    out.int(STARTUP_BYTES);
    for (const name of ['replication.backlog', 'clients.slaves', 'clients.normal', 'cluster.links', 'aof.buffer', 'lua.caches', 'functions.caches']) {
      out.bulk(name);
      out.int(0);
    }
    for (const d of o.dbs) {
      out.bulk(`db.${d.id}`);
      out.map(3);
      out.bulk('overhead.hashtable.main');
      out.int(d.main);
      out.bulk('overhead.hashtable.expires');
      out.int(d.expires);
      out.bulk('overhead.hashtable.slot-to-keys');
      out.int(0);
    }
    out.bulk('overhead.total');
    out.int(o.overheadTotal);
    out.bulk('keys.count');
    out.int(o.keys);
    out.bulk('keys.bytes-per-key');
    out.int(o.keys > 0 ? Math.floor((o.total - STARTUP_BYTES) / o.keys) : 0);
    out.bulk('dataset.bytes');
    out.int(dataset);
    out.bulk('dataset.percentage');
    out.double((dataset * 100) / net);
    out.bulk('peak.percentage');
    out.double((o.total * 100) / Math.max(1, o.peak));
    out.bulk('allocator.allocated');
    out.int(allocated);
    out.bulk('allocator.active');
    out.int(active);
    out.bulk('allocator.resident');
    out.int(resident);
    out.bulk('allocator-fragmentation.ratio');
    out.double(active / Math.max(1, allocated));
    out.bulk('allocator-fragmentation.bytes');
    out.int(active - allocated);
    out.bulk('allocator.rss-ratio');
    out.double(resident / Math.max(1, active));
    out.bulk('allocator.rss-bytes');
    out.int(resident - active);
    out.bulk('rss-overhead.ratio');
    out.double(1);
    out.bulk('rss-overhead.bytes');
    out.int(0);
    out.bulk('fragmentation');
    out.double(resident / Math.max(1, o.total));
    out.bulk('fragmentation.bytes');
    out.int(resident - o.total);
  },
} as const satisfies CommandSpec;

const PEAK_REPORT =
  ' * Peak memory: In the past this instance used more than 150% the memory that is currently using. The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio, however this is actually harmless and is only due to the memory peak, and if the Redis instance Resident Set Size (RSS) is currently bigger than expected, the memory will be used as soon as you fill the Redis instance with more data. If the memory peak was only occasional and you want to try to reclaim memory, please try the MEMORY PURGE command, otherwise the only other option is to shutdown and restart the instance.\n\n';

/** Redis's getMemoryDoctorReport, for the conditions our accounting can see. */
export function memoryDoctorReport(usedBytes: number, peakBytes: number): string {
  if (usedBytes < DOCTOR_MIN_BYTES) {
    return "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n";
  }
  let issues = '';
  if (peakBytes / usedBytes > 1.5) issues += PEAK_REPORT;
  if (issues === '') {
    return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n";
  }
  return `Sam, I detected a few issues in this Redis instance memory implants:\n\n${issues}I'm here to keep you safe, Sam. I want to help you.\n`;
}

const doctor = {
  name: 'doctor',
  arity: 2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'Outputs memory problems report',
  since: '4.0.0',
  complexity: 'O(1)',
  run(s) {
    s.out.verbatim(memoryDoctorReport(s.node.usedMemory(), s.node.usedMemoryPeak));
  },
} as const satisfies CommandSpec;

const mallocStats = {
  name: 'malloc-stats',
  arity: 2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'Show allocator internal stats',
  since: '4.0.0',
  complexity: 'Depends on how much memory is allocated, could be slow',
  run(s) {
    // What redis-server built without jemalloc answers.
    s.out.verbatim('Stats not supported for the current allocator');
  },
} as const satisfies CommandSpec;

const purge = {
  name: 'purge',
  arity: 2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'Ask the allocator to release memory',
  since: '4.0.0',
  complexity: 'Depends on how much memory is allocated, could be slow',
  run(s) {
    // V8 returns free pages on its own schedule; there is nothing to force.
    s.out.ok();
  },
} as const satisfies CommandSpec;

const HELP_LINES = [
  'DOCTOR',
  '    Return memory problems reports.',
  'MALLOC-STATS',
  '    Return internal statistics report from the memory allocator.',
  'PURGE',
  '    Attempt to purge dirty pages for reclamation by the allocator.',
  'STATS',
  '    Return information about the memory usage of the server.',
  'USAGE <key> [SAMPLES <count>]',
  '    Return memory in bytes used by <key> and its value. Nested values are',
  '    sampled up to <count> times (default: 5, 0 means sample all).',
] as const;

const help = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'Show helpful text about the different subcommands',
  since: '4.0.0',
  complexity: 'O(1)',
  run(s) {
    replyHelp(s, 'memory', HELP_LINES);
  },
} as const satisfies CommandSpec;

export const memory = {
  name: 'memory',
  arity: -2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'A container for memory diagnostics commands',
  since: '4.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [doctor, mallocStats, purge, stats, usage, help],
} as const satisfies CommandSpec;
