// LATENCY: Tessera records no latency events yet (latency-monitor-threshold
// is stored but nothing samples), so the event replies are the empty ones
// Redis gives with monitoring off, in the same shapes. HISTOGRAM reads the
// per-command histograms of latency-tracking, which are kept.

import { NO_KEYS, type CommandFlag, type CommandSpec } from '../spec.js';
import { replyHelp } from './help.js';
import type { LatencyHistogram } from '../../services/latency-tracking.js';

const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];
const TIPS = ['nondeterministic_output', 'request_policy:all_nodes', 'response_policy:special'] as const;

const latest = {
  name: 'latest',
  arity: 2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: TIPS,
  summary: 'Return the latest latency samples for all events.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    s.out.array(0);
  },
} as const satisfies CommandSpec;

const history = {
  name: 'history',
  arity: 3,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: TIPS,
  summary: 'Return timestamp-latency samples for the event.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    s.out.array(0);
  },
} as const satisfies CommandSpec;

const reset = {
  name: 'reset',
  arity: -2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  summary: 'Reset latency data for one or more events.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    // The number of event series removed.
    s.out.int(0);
  },
} as const satisfies CommandSpec;

const graph = {
  name: 'graph',
  arity: 3,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: TIPS,
  summary: 'Return a latency graph for the event.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s, args) {
    s.error(`ERR No samples available for event '${args[2]!}'`);
  },
} as const satisfies CommandSpec;

const doctor = {
  name: 'doctor',
  arity: 2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: TIPS,
  summary: 'Return a human readable latency analysis report.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    s.out.verbatim(
      'I\'m sorry, Dave, I can\'t do that. Latency monitoring is disabled in this Redis instance. You may use "CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space mission I\'d suggest to take a look at https://redis.io/topics/latency-monitor.\n',
    );
  },
} as const satisfies CommandSpec;

const histogram = {
  name: 'histogram',
  arity: -2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: TIPS,
  summary: 'Return the cumulative distribution of latencies of a subset of commands or all.',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of commands with latency information being retrieved.',
  run(s, args) {
    const tracker = s.node.latencyTracker;
    const chosen: [string, LatencyHistogram][] = [];
    const add = (name: string): void => {
      const h = tracker.byCommand.get(name);
      if (h && h.total > 0 && !chosen.some(([n]) => n === name)) chosen.push([name, h]);
    };
    if (args.length === 2) for (const name of tracker.byCommand.keys()) add(name);
    else {
      for (let i = 2; i < args.length; i++) {
        const name = args[i]!.toLowerCase();
        add(name);
        // A container stands for all of its subcommands, as in Redis.
        const cmd = s.node.registry.lookup(name);
        if (cmd?.subcommands) for (const sub of cmd.subcommands.values()) add(sub.fullName);
      }
    }
    s.out.map(chosen.length);
    for (const [name, h] of chosen) {
      s.out.bulk(name);
      s.out.map(2);
      s.out.bulk('calls');
      s.out.int(h.total);
      s.out.bulk('histogram_usec');
      const buckets = h.cumulativeBuckets();
      s.out.map(buckets.length);
      for (const [usec, n] of buckets) {
        s.out.int(usec);
        s.out.int(n);
      }
    }
  },
} as const satisfies CommandSpec;

const help = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Show helpful text about the different subcommands.',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    replyHelp(s, 'LATENCY', [
      'DOCTOR',
      '    Return a human readable latency analysis report.',
      'GRAPH <event>',
      '    Return an ASCII latency graph for the <event> class.',
      'HISTORY <event>',
      '    Return time-latency samples for the <event> class.',
      'LATEST',
      '    Return the latest latency samples for all events.',
      'RESET [<event> ...]',
      '    Reset latency data of one or more <event> classes.',
      '    (default: reset all data for all event classes)',
      'HISTOGRAM [COMMAND ...]',
      '    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.',
      '    If no commands are specified then all histograms are replied.',
    ]);
  },
} as const satisfies CommandSpec;

export const latency = {
  name: 'latency',
  arity: -2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  summary: 'A container for latency diagnostics commands',
  since: '2.8.13',
  complexity: 'Depends on subcommand.',
  subcommands: [latest, history, reset, graph, doctor, histogram, help],
} as const satisfies CommandSpec;
