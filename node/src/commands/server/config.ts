// CONFIG GET/SET/RESETSTAT/REWRITE/HELP over the one configuration table.
// GET takes several names or glob patterns (7.0); SET takes several pairs
// and applies all of them or none.

import type { CommandSpec } from '../spec.js';
import { NO_KEYS } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';
import { rewriteConfigFile } from '../../config/rewrite.js';
import type { KeyspaceStats } from '../../keyspace/keyspace.js';

const HELP = [
  'CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:',
  'GET <pattern>',
  '    Return parameters matching the glob-like <pattern> and their values.',
  'SET <directive> <value>',
  '    Set the configuration <directive> to <value>.',
  'RESETSTAT',
  '    Reset statistics reported by the INFO command.',
  'REWRITE',
  '    Rewrite the configuration file.',
  'HELP',
  '    Prints this help.',
];

/** Loopback or unix-socket client: what enable-protected-configs "local" allows. */
function isLocalClient(s: Session): boolean {
  const addr = s.transport.remoteAddress;
  const ip = addr.slice(0, Math.max(0, addr.lastIndexOf(':')));
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.') || ip === '' || addr.startsWith('/');
}

const get = {
  name: 'get',
  arity: -3,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Get the values of configuration parameters',
  since: '2.0.0',
  run(s, args) {
    const found = s.node.config.matching(args.slice(2));
    s.out.map(found.length);
    for (const [name, value] of found) {
      s.out.bulk(name);
      s.out.bulk(value);
    }
  },
} as const satisfies CommandSpec;

const set = {
  name: 'set',
  arity: -4,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Set configuration parameters to the given values',
  since: '2.0.0',
  run(s, args) {
    if (args.length % 2 !== 0) {
      s.error(Err.syntax);
      return;
    }
    const pairs: [string, string][] = [];
    for (let i = 2; i < args.length; i += 2) pairs.push([args[i]!, args[i + 1]!]);
    const err = s.node.config.setMany(pairs, { localClient: isLocalClient(s) });
    if (err) s.error(err);
    else s.out.ok();
  },
} as const satisfies CommandSpec;

const resetstat = {
  name: 'resetstat',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Reset the server statistics',
  since: '2.0.0',
  run(s) {
    s.node.stats.reset();
    const ks = s.node.keyspace.stats;
    for (const k of Object.keys(ks) as (keyof KeyspaceStats)[]) ks[k] = 0;
    s.out.ok();
  },
} as const satisfies CommandSpec;

const rewrite = {
  name: 'rewrite',
  arity: 2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Rewrite the configuration file with the in-memory configuration',
  since: '2.8.0',
  run(s) {
    const file = s.node.host.configFile;
    if (!file) {
      s.error('ERR The server is running without a config file');
      return;
    }
    const err = rewriteConfigFile(file, s.node.config);
    if (err) {
      s.node.logger.warn('CONFIG REWRITE failed', { reason: err });
      s.error(err);
      return;
    }
    s.node.logger.info('CONFIG REWRITE executed with success.');
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
  since: '5.0.0',
  run(s) {
    s.out.array(HELP.length);
    for (const l of HELP) s.out.simple(l);
  },
} as const satisfies CommandSpec;

export const config = {
  name: 'config',
  arity: -2,
  flags: [],
  group: 'server',
  keys: NO_KEYS,
  summary: 'A container for server configuration commands',
  since: '2.0.0',
  subcommands: [get, set, resetstat, rewrite, help],
} as const satisfies CommandSpec;
