// Redis's genericZpopCommand and blockingGenericZpopCommand: ZPOPMIN/MAX,
// ZMPOP and the blocking BZPOPMIN/MAX and BZMPOP. The pop itself writes to
// any ReplyWriter, so a blocked client is served by the same code when
// another client's write makes one of its keys non-empty.

import { Err, ReplyError } from '../../core/errors.js';
import type { Database } from '../../keyspace/database.js';
import { ZSetValue } from '../../keyspace/types/zset.js';
import type { ReplyWriter } from '../../resp/writer.js';
import type { BlockRequest } from '../../services/blocking.js';
import { is, parseInteger } from '../args.js';
import type { Session } from '../session.js';
import { parseBlockingTimeout } from '../list/timeout.js';
import { zsetIn } from './common.js';

/** Reply shapes, as Redis's use_nested_array/emitkey pairs. */
const FLAT = 0; // ZPOPMIN/MAX without COUNT, or any in RESP2: member, score, ...
const PAIRS = 1; // ZPOPMIN/MAX with COUNT in RESP3: [member, score], ...
const KEYED = 2; // BZPOPMIN/MAX: key, member, score
const NESTED = 3; // ZMPOP/BZMPOP: key, [[member, score], ...]

/**
 * Pops up to `count` (>= 1) members of the non-empty zset at key, writes
 * the reply in `shape`, sends the events and deletes the emptied key.
 */
function popInto(w: ReplyWriter, s: Session, dbIndex: number, db: Database, key: string, z: ZSetValue, max: boolean, count: number, shape: number): void {
  const node = s.node;
  const n = count > z.size ? z.size : count;
  if (shape === FLAT) w.array(n * 2);
  else if (shape === PAIRS) w.array(n);
  else if (shape === KEYED) {
    w.array(n * 2 + 1);
    w.bulk(key);
  } else {
    w.array(2);
    w.bulk(key);
    w.array(n);
  }
  const nested = shape === PAIRS || shape === NESTED;
  for (let i = 0; i < n; i++) {
    const e = z.pop(max)!;
    if (nested) w.array(2);
    w.bulk(e.member);
    w.double(e.score);
  }
  // Replicas get a plain ZPOPMIN/ZPOPMAX (never a blocking or multi-key form),
  // as Redis rewrites BZPOP*, ZMPOP and BZMPOP.
  if (shape === KEYED) s.propagate([max ? 'zpopmax' : 'zpopmin', key]);
  else if (shape === NESTED) s.propagate([max ? 'zpopmax' : 'zpopmin', key, String(count)]);
  node.notify('z', max ? 'zpopmax' : 'zpopmin', key, dbIndex);
  if (z.size === 0) {
    db.delete(key);
    node.notify('g', 'del', key, dbIndex);
  } else db.changed(key);
}

/** ZPOPMIN/ZPOPMAX key [count]. */
export function zpopCommand(s: Session, args: string[], max: boolean): void {
  let count = 1;
  const counted = args.length === 3;
  if (args.length > 3) throw new ReplyError(Err.syntax);
  if (counted) {
    const c = parseInteger(args[2]!);
    if (c === null || c < 0) throw new ReplyError(Err.notPositive);
    count = c;
  }
  const key = args[1]!;
  const z = zsetIn(s.db, key, s.nowMs);
  if (z === undefined || count === 0) {
    s.out.array(0);
    return;
  }
  popInto(s.out, s, s.dbIndex, s.db, key, z, max, count, counted && s.resp === 3 ? PAIRS : FLAT);
}

/** First existing key's zset among keys, refusing a wrong type on the way (Redis stops at the first existing key). */
function firstZset(s: Session, keys: readonly string[]): number {
  for (let i = 0; i < keys.length; i++) {
    if (zsetIn(s.db, keys[i]!, s.nowMs) !== undefined) return i;
  }
  return -1;
}

/** A client blocked in BZPOPMIN/BZPOPMAX (count -1) or BZMPOP. */
class ZPopBlock implements BlockRequest {
  constructor(
    readonly session: Session,
    readonly db: number,
    readonly keys: readonly string[],
    readonly deadlineMs: number,
    private readonly max: boolean,
    private readonly count: number,
  ) {}

  tryServe(key: string, w: ReplyWriter): boolean {
    const node = this.session.node;
    const db = node.keyspace.db(this.db);
    // A key now holding another type keeps the client waiting, as in Redis.
    const v = db.readForWrite(key, node.keyspace.nowMs);
    if (!(v instanceof ZSetValue) || v.size === 0) return false;
    if (this.count < 0) popInto(w, this.session, this.db, db, key, v, this.max, 1, KEYED);
    else popInto(w, this.session, this.db, db, key, v, this.max, this.count, NESTED);
    return true;
  }

  onTimeout(w: ReplyWriter): void {
    w.nilArray();
  }
}

function blockOrTimeout(s: Session, keys: string[], deadlineMs: number, max: boolean, count: number): void {
  // Inside MULTI/EXEC (and later scripts) Redis never blocks: it answers as on timeout.
  if (s.inExec) {
    s.out.nilArray();
    return;
  }
  s.node.blocking.block(new ZPopBlock(s, s.dbIndex, keys, deadlineMs, max, count));
}

/** BZPOPMIN/BZPOPMAX key [key ...] timeout. */
export function bzpopCommand(s: Session, args: string[], max: boolean): void {
  const deadlineMs = parseBlockingTimeout(args[args.length - 1]!, s.nowMs);
  const keys = args.slice(1, args.length - 1);
  const i = firstZset(s, keys);
  if (i >= 0) {
    const key = keys[i]!;
    popInto(s.out, s, s.dbIndex, s.db, key, zsetIn(s.db, key, s.nowMs)!, max, 1, KEYED);
    return;
  }
  blockOrTimeout(s, keys, deadlineMs, max, -1);
}

/**
 * ZMPOP numkeys key [key ...] MIN|MAX [COUNT count] (numkeysAt 1) and
 * BZMPOP timeout numkeys ... (numkeysAt 2, timeout parsed after the rest).
 */
export function zmpopCommand(s: Session, args: string[], numkeysAt: number, blocking: boolean): void {
  const numkeys = parseInteger(args[numkeysAt]!);
  if (numkeys === null || numkeys < 1) throw new ReplyError('ERR numkeys should be greater than 0');
  const whereAt = numkeysAt + numkeys + 1;
  if (whereAt >= args.length) throw new ReplyError(Err.syntax);
  let max: boolean;
  if (is(args[whereAt], 'min')) max = false;
  else if (is(args[whereAt], 'max')) max = true;
  else throw new ReplyError(Err.syntax);
  let count = -1;
  for (let j = whereAt + 1; j < args.length; j++) {
    if (count === -1 && is(args[j], 'count') && j + 1 < args.length) {
      const c = parseInteger(args[++j]!);
      if (c === null || c < 1) throw new ReplyError('ERR count should be greater than 0');
      count = c;
    } else throw new ReplyError(Err.syntax);
  }
  if (count === -1) count = 1;
  const deadlineMs = blocking ? parseBlockingTimeout(args[1]!, s.nowMs) : 0;
  const keys = args.slice(numkeysAt + 1, whereAt);
  const i = firstZset(s, keys);
  if (i >= 0) {
    const key = keys[i]!;
    popInto(s.out, s, s.dbIndex, s.db, key, zsetIn(s.db, key, s.nowMs)!, max, count, NESTED);
    return;
  }
  if (!blocking) {
    s.out.nilArray();
    return;
  }
  blockOrTimeout(s, keys, deadlineMs, max, count);
}
