// EXPIRE, PEXPIRE, EXPIREAT and PEXPIREAT share Redis's expireGenericCommand:
// options first (NX, XX, GT, LT), then the time with 64-bit overflow checks
// done in BigInt exactly where Redis checks them, then the key. A time
// already in the past deletes the key (a 'del' event, not 'expired'), except
// while expiry is paused (replica, CLIENT PAUSE), where the TTL is stored.

import type { Session } from '../session.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseInt64 } from '../args.js';

const LLONG_MAX = 9223372036854775807n;
const LLONG_MIN = -9223372036854775808n;

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;

function parseFlags(args: string[]): number {
  let flags = 0;
  for (let j = 3; j < args.length; j++) {
    const opt = args[j]!;
    const lower = opt.toLowerCase();
    if (lower === 'nx') flags |= NX;
    else if (lower === 'xx') flags |= XX;
    else if (lower === 'gt') flags |= GT;
    else if (lower === 'lt') flags |= LT;
    else throw new ReplyError(`ERR Unsupported option ${opt}`);
  }
  if (flags & NX && flags & (XX | GT | LT)) {
    throw new ReplyError('ERR NX and XX, GT or LT options at the same time are not compatible');
  }
  if (flags & GT && flags & LT) throw new ReplyError('ERR GT and LT options at the same time are not compatible');
  return flags;
}

/**
 * `name` is the command's lowercase name (for the overflow error), `relative`
 * adds the current time, `seconds` scales the argument by 1000.
 */
export function expireGeneric(s: Session, args: string[], name: string, relative: boolean, seconds: boolean): void {
  const flags = args.length > 3 ? parseFlags(args) : 0;
  let when = parseInt64(args[2]!);
  if (when === null) throw new ReplyError(Err.notInteger);
  const overflow = `ERR invalid expire time in '${name}' command`;
  if (seconds) {
    if (when > LLONG_MAX / 1000n || when < LLONG_MIN / 1000n) throw new ReplyError(overflow);
    when *= 1000n;
  }
  const now = s.nowMs;
  const base = relative ? BigInt(now) : 0n;
  if (when > LLONG_MAX - base) throw new ReplyError(overflow);
  when += base;
  const atMs = Number(when);
  const key = args[1]!;
  const db = s.db;
  if (db.peek(key, now) === undefined) {
    s.out.int(0);
    return;
  }
  if (flags !== 0) {
    const current = db.getExpire(key);
    if (flags & NX && current !== undefined) return s.out.int(0);
    if (flags & XX && current === undefined) return s.out.int(0);
    // No TTL counts as an infinite one: GT can never beat it, LT always can.
    if (flags & GT && (current === undefined || atMs <= current)) return s.out.int(0);
    if (flags & LT && current !== undefined && atMs >= current) return s.out.int(0);
  }
  if (atMs <= now && !s.node.keyspace.expiryPaused) {
    db.delete(key);
    s.notify('g', 'del', key);
    s.propagate(['del', key]);
  } else {
    db.setExpire(key, atMs);
    // setExpire alone does not signal: WATCH and the dirty counter must see it.
    db.changed(key);
    s.notify('g', 'expire', key);
    // Replicas get the absolute time, so their clock and the link delay do not shift it.
    s.propagate(['pexpireat', key, String(atMs)]);
  }
  s.out.int(1);
}
