import type { CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';

/** RENAME and RENAMENX (Redis's renameGenericCommand). */
export function renameKey(s: Session, args: string[], nx: boolean): void {
  const src = args[1]!;
  const dst = args[2]!;
  const db = s.db;
  const now = s.nowMs;
  const value = db.peek(src, now);
  if (value === undefined) {
    s.error(Err.noSuchKey);
    return;
  }
  if (src === dst) {
    if (nx) s.out.int(0);
    else s.out.ok();
    return;
  }
  if (db.peek(dst, now) !== undefined) {
    if (nx) {
      s.out.int(0);
      return;
    }
    // The old value at dst is dropped without a 'del' event, as Redis does.
    db.delete(dst);
  }
  const expireAt = db.getExpire(src);
  // The object moves with its LRU/LFU stamp: Redis renames the same robj.
  const meta = db.getMeta(src)!;
  db.delete(src);
  db.add(dst, value, meta);
  if (expireAt !== undefined) db.setExpire(dst, expireAt);
  s.notify('g', 'rename_from', src);
  s.notify('g', 'rename_to', dst);
  if (nx) s.out.int(1);
  else s.out.ok();
}

export const rename = {
  name: 'rename',
  arity: 3,
  flags: ['write'],
  group: 'generic',
  keys: { first: 1, last: 2, step: 1 },
  acl: ['@keyspace', '@slow'],
  summary: 'Rename a key',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    renameKey(s, args, false);
  },
} as const satisfies CommandSpec;
