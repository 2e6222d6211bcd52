// OBJECT: what Redis knows about a key's value. Lookups do not touch the
// key (LOOKUP_NOTOUCH) but count a keyspace hit or miss; a missing key is a
// null reply, checked before the policy errors of FREQ and IDLETIME.

import { NO_KEYS, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import type { Value } from '../../keyspace/values.js';
import { stringEncoding } from '../../keyspace/types/strings.js';
import { replyHelp } from '../server/help.js';
import { lookupReadNoTouch } from './common.js';

/** Redis's refcount of shared objects (OBJ_SHARED_REFCOUNT). */
const SHARED_REFCOUNT = 2147483647;
/** Integers 0..9999 are shared objects in Redis (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;

const POLICY_NOTE = 'Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.';

function lookup(s: Session, key: string): Value | undefined {
  const v = lookupReadNoTouch(s, key);
  if (v === undefined) s.out.nil();
  return v;
}

const keyArg = { first: 2, last: 2, step: 1 } as const;

const encoding = {
  name: 'encoding',
  arity: 3,
  flags: ['readonly'],
  group: 'generic',
  keys: keyArg,
  acl: ['@keyspace', '@slow'],
  summary: 'Inspect the internal encoding of a Redis object',
  since: '2.2.3',
  complexity: 'O(1)',
  run(s, args) {
    const v = lookup(s, args[2]!);
    if (v === undefined) return;
    s.out.bulk(typeof v === 'string' || Buffer.isBuffer(v) ? stringEncoding(v) : v.encoding());
  },
} as const satisfies CommandSpec;

const freq = {
  name: 'freq',
  arity: 3,
  flags: ['readonly'],
  group: 'generic',
  keys: keyArg,
  acl: ['@keyspace', '@slow'],
  summary: 'Get the logarithmic access frequency counter of a Redis object',
  since: '4.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[2]!;
    if (lookup(s, key) === undefined) return;
    const ks = s.node.keyspace;
    if (!ks.usesLfu) {
      s.error(`ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${POLICY_NOTE}`);
      return;
    }
    s.out.int(ks.lfuDecayed(s.db.getMeta(key)!));
  },
} as const satisfies CommandSpec;

const idletime = {
  name: 'idletime',
  arity: 3,
  flags: ['readonly'],
  group: 'generic',
  keys: keyArg,
  acl: ['@keyspace', '@slow'],
  summary: 'Get the time since a Redis object was last accessed',
  since: '2.2.3',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[2]!;
    if (lookup(s, key) === undefined) return;
    const ks = s.node.keyspace;
    if (ks.usesLfu) {
      s.error(`ERR An LFU maxmemory policy is selected, idle time not tracked. ${POLICY_NOTE}`);
      return;
    }
    s.out.int(ks.idleSeconds(s.db.getMeta(key)!));
  },
} as const satisfies CommandSpec;

const refcount = {
  name: 'refcount',
  arity: 3,
  flags: ['readonly'],
  group: 'generic',
  keys: keyArg,
  acl: ['@keyspace', '@slow'],
  summary: 'Get the number of references to the value of the key',
  since: '2.2.3',
  complexity: 'O(1)',
  run(s, args) {
    const v = lookup(s, args[2]!);
    if (v === undefined) return;
    // Redis stores small non-negative integers as shared objects, except
    // when an LRU/LFU policy with a maxmemory needs per-key access stamps.
    const policy = s.node.keyspace.maxmemoryPolicy;
    const stampsNeeded = s.node.config.maxmemoryBytes() > 0 && (policy.endsWith('-lru') || policy.endsWith('-lfu'));
    const shared =
      typeof v === 'string' && !stampsNeeded && stringEncoding(v) === 'int' && v[0] !== '-' && Number(v) < SHARED_INTEGERS;
    s.out.int(shared ? SHARED_REFCOUNT : 1);
  },
} as const satisfies CommandSpec;

const HELP_LINES = [
  'ENCODING <key>',
  '    Return the kind of internal representation used in order to store the value',
  '    associated with a <key>.',
  'FREQ <key>',
  '    Return the access frequency index of the <key>. The returned integer is',
  '    proportional to the logarithm of the recent access frequency of the key.',
  'IDLETIME <key>',
  '    Return the idle time of the <key>, that is the approximated number of',
  '    seconds elapsed since the last access to the key.',
  'REFCOUNT <key>',
  '    Return the number of references of the value associated with the specified',
  '    <key>.',
] as const;

const help = {
  name: 'help',
  arity: 2,
  flags: ['loading', 'stale'],
  group: 'generic',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow'],
  summary: 'Show helpful text about the different subcommands',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s) {
    replyHelp(s, 'object', HELP_LINES);
  },
} as const satisfies CommandSpec;

export const object = {
  name: 'object',
  arity: -2,
  flags: [],
  group: 'generic',
  keys: NO_KEYS,
  acl: ['@slow'],
  summary: 'A container for object introspection commands',
  since: '2.2.3',
  complexity: 'Depends on subcommand.',
  subcommands: [encoding, freq, idletime, refcount, help],
} as const satisfies CommandSpec;
