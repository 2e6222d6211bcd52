import type { CommandSpec } from '../spec.js';
import type { Session } from '../session.js';

/** DEL and UNLINK: values are freed by the GC either way, so UNLINK is DEL. */
export function deleteKeys(s: Session, args: string[]): void {
  const now = s.nowMs;
  let deleted = 0;
  for (let i = 1; i < args.length; i++) {
    const key = args[i]!;
    // An expired key is removed (with its 'expired' event) and does not count.
    if (s.db.peek(key, now) === undefined) continue;
    s.db.delete(key);
    s.notify('g', 'del', key);
    deleted++;
  }
  s.out.int(deleted);
}

export const del = {
  name: 'del',
  arity: -2,
  flags: ['write'],
  group: 'generic',
  keys: { first: 1, last: -1, step: 1 },
  acl: ['@keyspace', '@slow'],
  summary: 'Delete a key',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of keys that will be removed.',
  run: deleteKeys,
} as const satisfies CommandSpec;
