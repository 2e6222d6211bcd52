// LATENCY: Tessera records no latency events yet (latency-monitor-threshold
// is stored but nothing samples), so every reply is the empty one Redis gives
// with monitoring off, in the same shapes.

import { NO_KEYS, type CommandFlag, type CommandSpec } from '../spec.js';
import { replyHelp } from './help.js';

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
  subcommands: [latest, history, reset, graph, doctor, help],
} as const satisfies CommandSpec;
