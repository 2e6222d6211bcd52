import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { compareIntStrings } from '../../keyspace/types/set.js';
import { parseInteger } from '../args.js';
import { commitShrunkSet, replyMembers, setLimits, writeSet } from './common.js';
import { pickDistinctIndices } from './random-pick.js';

/**
 * Redis's SPOP_MOVE_STRATEGY_MUL: when what stays is at most a fifth of what
 * is popped, Redis rebuilds the set from the members that stay (and that
 * rebuild may turn a hashtable back into an intset).
 */
const MOVE_STRATEGY_MUL = 5;

export const spop = {
  name: 'spop',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Remove and return one or multiple random members from a set',
  since: '1.0.0',
  complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.',
  run(s, args) {
    const key = args[1]!;
    const random = s.node.keyspace.random;
    if (args.length > 3) throw new ReplyError(Err.syntax);
    if (args.length === 2) {
      const set = writeSet(s, key);
      if (set === undefined) {
        s.out.nil();
        return;
      }
      const member = set.map.keys[Math.floor(random() * set.size)]!;
      set.delete(member);
      s.notify('s', 'spop', key);
      commitShrunkSet(s, key, set);
      // The random choice is made once, here: replicas remove the same member.
      s.propagate(['srem', key, member]);
      s.out.bulk(member);
      return;
    }
    const count = parseInteger(args[2]!);
    if (count === null || count < 0) throw new ReplyError(Err.notPositive);
    const set = writeSet(s, key);
    if (set === undefined || count === 0) {
      s.out.set(0);
      return;
    }
    const size = set.size;
    s.notify('s', 'spop', key);
    if (count >= size) {
      replyMembers(s, set.members());
      s.db.delete(key);
      s.notify('g', 'del', key);
      s.propagate(['del', key]);
      return;
    }
    const keys = set.map.keys;
    const remaining = size - count;
    let popped: string[];
    if (remaining * MOVE_STRATEGY_MUL > count) {
      popped = pickDistinctIndices(size, count, random).map((i) => keys[i]!);
      for (let i = 0; i < popped.length; i++) set.delete(popped[i]!);
    } else {
      const wasIntset = set.compact;
      const stay = new Set(pickDistinctIndices(size, remaining, random).map((i) => keys[i]!));
      popped = [];
      for (let i = 0; i < keys.length; i++) if (!stay.has(keys[i]!)) popped.push(keys[i]!);
      for (let i = 0; i < popped.length; i++) set.delete(popped[i]!);
      set.reencode(setLimits(s.node.config));
      // Redis replies with what is left of the old set, walked in intset order.
      if (wasIntset) popped.sort(compareIntStrings);
    }
    s.db.changed(key);
    // Replicas remove the same members, in SREMs of at most 1024 as Redis batches them.
    const srems: string[][] = [];
    for (let i = 0; i < popped.length; i += 1024) srems.push(['srem', key, ...popped.slice(i, i + 1024)]);
    s.propagate(...srems);
    replyMembers(s, popped);
  },
} as const satisfies CommandSpec;
