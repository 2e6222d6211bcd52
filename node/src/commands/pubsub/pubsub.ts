// PUBSUB CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/SHARDNUMSUB/HELP: introspection
// of the subscription registries (pattern subscribers are not counted by NUMSUB).
import { NO_KEYS, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { globMatch } from '../../core/glob.js';

const HELP = [
  'PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'CHANNELS [<pattern>]',
  "    Return the currently active channels matching a <pattern> (default: '*').",
  'NUMPAT',
  '    Return number of subscriptions to patterns.',
  'NUMSUB [<channel> ...]',
  '    Return the number of subscribers for the specified channels, excluding',
  '    pattern subscriptions(default: no channels).',
  'SHARDCHANNELS [<pattern>]',
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  'SHARDNUMSUB [<shardchannel> ...]',
  '    Return the number of subscribers for the specified shard level channel(s)',
  'HELP',
  '    Prints this help.',
];

function syntaxError(sub: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try PUBSUB HELP.`;
}

function listChannels(s: Session, args: string[], reg: Map<string, Set<Session>>): void {
  if (args.length > 3) {
    s.error(syntaxError(args[1]!));
    return;
  }
  const pattern = args[2];
  const names = [...reg.keys()].filter((c) => pattern === undefined || globMatch(pattern, c));
  s.out.array(names.length);
  for (const c of names) s.out.bulk(c);
}

function numsub(s: Session, args: string[], reg: Map<string, Set<Session>>): void {
  // Redis 7.0 replies a flat array of name, count pairs in both protocols.
  s.out.array((args.length - 2) * 2);
  for (let i = 2; i < args.length; i++) {
    s.out.bulk(args[i]!);
    s.out.int(reg.get(args[i]!)?.size ?? 0);
  }
}

const flags = ['pubsub', 'loading', 'stale'] as const;

export const pubsub = {
  name: 'pubsub',
  arity: -2,
  flags: [],
  group: 'pubsub',
  keys: NO_KEYS,
  summary: 'A container for Pub/Sub commands',
  since: '2.8.0',
  subcommands: [
    {
      name: 'channels',
      arity: -2,
      flags,
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'List active channels',
      since: '2.8.0',
      run: (s, args) => listChannels(s, args, s.node.pubsub.channels),
    },
    {
      name: 'numsub',
      arity: -2,
      flags,
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'Get the count of subscribers for channels',
      since: '2.8.0',
      run: (s, args) => numsub(s, args, s.node.pubsub.channels),
    },
    {
      name: 'numpat',
      arity: 2,
      flags,
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'Get the count of unique patterns pattern subscriptions',
      since: '2.8.0',
      run: (s) => s.out.int(s.node.pubsub.patternCount),
    },
    {
      name: 'shardchannels',
      arity: -2,
      flags,
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'List active shard channels',
      since: '7.0.0',
      run: (s, args) => listChannels(s, args, s.node.pubsub.shardChannels),
    },
    {
      name: 'shardnumsub',
      arity: -2,
      flags,
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'Get the count of subscribers for shard channels',
      since: '7.0.0',
      run: (s, args) => numsub(s, args, s.node.pubsub.shardChannels),
    },
    {
      name: 'help',
      arity: 2,
      flags: ['loading', 'stale'],
      group: 'pubsub',
      keys: NO_KEYS,
      summary: 'Show helpful text about the different subcommands',
      since: '6.2.0',
      run: (s) => {
        s.out.array(HELP.length);
        for (const l of HELP) s.out.simple(l);
      },
    },
  ],
} as const satisfies CommandSpec;
