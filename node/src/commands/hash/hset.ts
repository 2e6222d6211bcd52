import type { CommandSpec } from '../spec.js';
import { wrongArity } from '../../core/errors.js';
import { HashValue } from '../../keyspace/types/hash.js';
import { commitHash, hashLimits, writeHash } from './common.js';
import type { Session } from '../session.js';

/** HSET and HMSET: returns how many fields were new, or null after an arity error. */
export function setFields(s: Session, args: string[], name: string): number | null {
  if (args.length % 2 !== 0) {
    s.error(wrongArity(name));
    return null;
  }
  const key = args[1]!;
  const existing = writeHash(s, key);
  const h = existing ?? new HashValue();
  const limits = hashLimits(s.node.config);
  let added = 0;
  for (let i = 2; i < args.length; i += 2) if (h.set(args[i]!, args[i + 1]!, limits)) added++;
  commitHash(s, key, h, existing === undefined);
  s.notify('h', 'hset', key);
  return added;
}

export const hset = {
  name: 'hset',
  arity: -4,
  flags: ['write', 'denyoom', 'fast'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the string value of a hash field',
  since: '2.0.0',
  complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.',
  run(s, args) {
    const added = setFields(s, args, 'hset');
    if (added !== null) s.out.int(added);
  },
} as const satisfies CommandSpec;
