// What COMMAND INFO/DOCS/LIST derive from a spec: the flag set (with
// movablekeys implied by a key finder), ACL categories (implied by group and
// flags as Redis's setImplicitACLCategories does, plus the spec's extras) and
// the legacy key triple.

import type { CommandFlag, CommandGroup, CommandSpec } from '../spec.js';

/** Redis's flag table order, which COMMAND INFO follows. */
const FLAG_ORDER: readonly CommandFlag[] = [
  'write', 'readonly', 'denyoom', 'module', 'admin', 'pubsub', 'noscript', 'blocking', 'loading', 'stale',
  'skip_monitor', 'skip_slowlog', 'asking', 'fast', 'no_auth', 'may_replicate', 'no_mandatory_keys',
  'no_async_loading', 'no_multi', 'movablekeys', 'allow_busy',
];

/** Redis's ACL category table order, which COMMAND INFO follows. */
export const ACL_CATEGORIES: readonly string[] = [
  'keyspace', 'read', 'write', 'set', 'sortedset', 'list', 'hash', 'string', 'bitmap', 'hyperloglog', 'geo',
  'stream', 'pubsub', 'admin', 'fast', 'slow', 'blocking', 'dangerous', 'connection', 'transaction', 'scripting',
];

const GROUP_CATEGORY: Record<CommandGroup, string | null> = {
  generic: 'keyspace',
  string: 'string',
  list: 'list',
  set: 'set',
  'sorted-set': 'sortedset',
  hash: 'hash',
  pubsub: 'pubsub',
  transactions: 'transaction',
  connection: 'connection',
  scripting: 'scripting',
  hyperloglog: 'hyperloglog',
  cluster: null,
  geo: 'geo',
  stream: 'stream',
  bitmap: 'bitmap',
  server: null,
};

export function commandFlags(spec: CommandSpec): CommandFlag[] {
  const have = new Set<CommandFlag>(spec.flags);
  if (spec.keys.find) have.add('movablekeys');
  return FLAG_ORDER.filter((f) => have.has(f));
}

/** "@read", "@fast", ... in table order. A container has only what its flags imply. */
export function aclCategories(spec: CommandSpec): string[] {
  const cats = new Set<string>();
  const group = spec.subcommands ? null : GROUP_CATEGORY[spec.group];
  if (group) cats.add(group);
  for (const extra of spec.acl ?? []) cats.add(extra.replace(/^@/, '').toLowerCase());
  const f = spec.flags;
  if (f.includes('write')) cats.add('write');
  if (f.includes('readonly') && !cats.has('scripting')) cats.add('read');
  if (f.includes('admin')) {
    cats.add('admin');
    cats.add('dangerous');
  }
  if (f.includes('pubsub')) cats.add('pubsub');
  if (f.includes('fast')) cats.add('fast');
  if (f.includes('blocking')) cats.add('blocking');
  if (!f.includes('fast')) cats.add('slow');
  return ACL_CATEGORIES.filter((c) => cats.has(c)).map((c) => `@${c}`);
}

/** Whether COMMAND GETKEYS can find keys in this command at all. */
export function hasKeys(spec: CommandSpec): boolean {
  return spec.keys.first !== 0 || spec.keys.find !== undefined;
}
