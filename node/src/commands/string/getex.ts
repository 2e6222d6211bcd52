import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { SetFlag, expireAtMs, parseExtendedArgs, readKey, replyValue } from './common.js';

export const getex = {
  name: 'getex',
  arity: -2,
  flags: ['write', 'fast'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get the value of a key and optionally set its expiration',
  since: '6.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    // Option syntax is checked before the key; the expire value only after
    // it, so a missing key answers nil even to "EX -1" (as Redis does).
    const { flags, expire } = args.length > 2 ? parseExtendedArgs(args, 2, false) : { flags: 0, expire: undefined };
    const v = readKey(s, key);
    if (v === undefined) {
      s.out.nil();
      return;
    }
    if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
      s.error(Err.wrongType);
      return;
    }
    const atMs = expire === undefined ? 0 : expireAtMs(s, expire, flags, 'getex');
    replyValue(s, v);
    const db = s.db;
    if (flags & (SetFlag.EXAT | SetFlag.PXAT) && atMs <= s.nowMs) {
      // An absolute time already past deletes the key now (checkAlreadyExpired).
      db.delete(key);
      s.notify('g', 'del', key);
      s.propagate(['del', key]);
    } else if (expire !== undefined) {
      db.setExpire(key, atMs);
      db.changed(key);
      s.notify('g', 'expire', key);
      s.propagate(['pexpireat', key, String(atMs)]);
    } else if (flags & SetFlag.PERSIST) {
      if (db.removeExpire(key)) {
        db.changed(key);
        s.notify('g', 'persist', key);
        s.propagate(['persist', key]);
      }
    }
  },
} as const satisfies CommandSpec;
