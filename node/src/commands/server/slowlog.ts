import { NO_KEYS, type CommandFlag, type CommandSpec } from '../spec.js';
import { parseInteger } from '../args.js';
import { replyHelp } from './help.js';

const ADMIN: readonly CommandFlag[] = ['admin', 'loading', 'stale'];

const get = {
  name: 'get',
  arity: -2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: ['request_policy:all_nodes', 'nondeterministic_output'],
  summary: 'Get the slow log\'s entries',
  since: '2.2.12',
  complexity: 'O(N) where N is the number of entries returned',
  run(s, args) {
    let count = 10;
    if (args.length === 3) {
      const n = parseInteger(args[2]!);
      if (n === null || n < -1) {
        s.error('ERR count should be greater than or equal to -1');
        return;
      }
      count = n;
    } else if (args.length > 3) {
      s.error(`ERR unknown subcommand or wrong number of arguments for '${args[1]!}'. Try SLOWLOG HELP.`);
      return;
    }
    const entries = s.node.slowlog.latest(count);
    s.out.array(entries.length);
    for (const e of entries) {
      s.out.array(6);
      s.out.int(e.id);
      s.out.int(e.timestampSec);
      s.out.int(e.durationMicros);
      s.out.bulks(e.args);
      s.out.bulk(e.clientAddr);
      s.out.bulk(e.clientName);
    }
  },
} as const satisfies CommandSpec;

const len = {
  name: 'len',
  arity: 2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: ['request_policy:all_nodes', 'response_policy:agg_sum', 'nondeterministic_output'],
  summary: 'Get the slow log\'s length',
  since: '2.2.12',
  complexity: 'O(1)',
  run(s) {
    s.out.int(s.node.slowlog.length);
  },
} as const satisfies CommandSpec;

const reset = {
  name: 'reset',
  arity: 2,
  flags: ADMIN,
  group: 'server',
  keys: NO_KEYS,
  tips: ['request_policy:all_nodes', 'response_policy:all_succeeded'],
  summary: 'Clear all entries from the slow log',
  since: '2.2.12',
  complexity: 'O(N) where N is the number of entries in the slowlog',
  run(s) {
    s.node.slowlog.reset();
    s.out.ok();
  },
} as const satisfies CommandSpec;

const help = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Show helpful text about the different subcommands',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s) {
    replyHelp(s, 'SLOWLOG', [
      'GET [<count>]',
      '    Return top <count> entries from the slowlog (default: 10, -1 mean all).',
      '    Entries are made of:',
      '    id, timestamp, time in microseconds, arguments array, client IP and port,',
      '    client name',
      'LEN',
      '    Return the length of the slowlog.',
      'RESET',
      '    Reset the slowlog.',
    ]);
  },
} as const satisfies CommandSpec;

export const slowlog = {
  name: 'slowlog',
  arity: -2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  summary: 'A container for slow log commands',
  since: '2.2.12',
  complexity: 'Depends on subcommand.',
  subcommands: [get, len, reset, help],
} as const satisfies CommandSpec;
