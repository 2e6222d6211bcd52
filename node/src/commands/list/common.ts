// Shared by the list commands: typed lookups with Redis's read/write
// semantics (hits and misses are counted only on reads, as lookupKeyRead
// does), pushing and popping with the keyspace notifications Redis sends,
// and the argument rules the list commands share (LEFT|RIGHT, timeouts,
// ranges, numkeys).

import { readTyped, writeTypedIn } from '../lookup.js';
import { Err, ReplyError, wrongArity } from '../../core/errors.js';
import type { Database } from '../../keyspace/database.js';
import { ListValue } from '../../keyspace/types/list.js';
import type { ReplyWriter } from '../../resp/writer.js';
import { is, parseInteger } from '../args.js';
import type { Session } from '../session.js';

/** lookupKeyRead + checkType: undefined if missing; throws WRONGTYPE. */
export function readList(s: Session, key: string): ListValue | undefined {
  return readTyped(s, key, ListValue);
}

/** lookupKeyWrite + checkType on any database: no hit/miss counting. */
export function writeListIn(db: Database, key: string, nowMs: number): ListValue | undefined {
  return writeTypedIn(db, key, nowMs, ListValue);
}

/** lookupKeyWrite + checkType in the session's database. */
export function writeList(s: Session, key: string): ListValue | undefined {
  return writeListIn(s.db, key, s.node.keyspace.nowMs);
}

/** Parses LEFT|RIGHT (true for LEFT); anything else is a syntax error. */
export function parseEnd(arg: string): boolean {
  if (is(arg, 'left')) return true;
  if (is(arg, 'right')) return false;
  throw new ReplyError(Err.syntax);
}

/** A long argument (getLongFromObjectOrReply). */
export function parseLong(arg: string): number {
  const n = parseInteger(arg);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

/** A count that must be >= 0 (getPositiveLongFromObjectOrReply); any failure replies `message`. */
export function parsePositive(arg: string, message: string = Err.notPositive): number {
  const n = parseInteger(arg);
  if (n === null || n < 0) throw new ReplyError(message);
  return n;
}

/** Whether this command may block (Redis's CLIENT_DENY_BLOCKING under MULTI/EXEC). */
export function mayBlock(s: Session): boolean {
  return !s.inMulti && !s.inExec;
}

/**
 * Key indices of `<cmd> [timeout] numkeys key [key ...] LEFT|RIGHT ...`:
 * numkeys is at `at`; none if it is invalid or the keys run past the end.
 */
export function findNumkeys(args: readonly string[], at: number): number[] {
  const n = parseInteger(args[at] ?? '');
  if (n === null || n < 1 || at + n >= args.length) return [];
  const out: number[] = [];
  for (let i = at + 1; i <= at + n; i++) out.push(i);
  return out;
}

/** Parsed `numkeys key... LEFT|RIGHT [COUNT n]` of LMPOP/BLMPOP. */
export interface MpopArgs {
  readonly keys: string[];
  readonly left: boolean;
  /** -1 when no COUNT was given (one element, still replied as an array). */
  readonly count: number;
}

/** Redis's lmpopGenericCommand argument parsing; numkeys is at `at`. */
export function parseMpop(args: readonly string[], at: number): MpopArgs {
  const n = parseInteger(args[at]!);
  if (n === null || n < 1) throw new ReplyError('ERR numkeys should be greater than 0');
  const whereAt = at + n + 1;
  if (whereAt >= args.length) throw new ReplyError(Err.syntax);
  const left = parseEnd(args[whereAt]!);
  let count = -1;
  for (let j = whereAt + 1; j < args.length; j++) {
    if (count === -1 && is(args[j], 'count') && j + 1 < args.length) {
      const c = parseInteger(args[++j]!);
      if (c === null || c < 1) throw new ReplyError('ERR count should be greater than 0');
      count = c;
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return { keys: args.slice(at + 1, whereAt), left, count };
}

/** Notifies the pop and deletes the list if it became empty (Redis's listElementsRemoved). */
export function elementsRemoved(s: Session, db: Database, dbIndex: number, key: string, list: ListValue, left: boolean): void {
  const node = s.node;
  node.notify('l', left ? 'lpop' : 'rpop', key, dbIndex);
  if (list.size === 0) {
    db.delete(key);
    node.notify('g', 'del', key, dbIndex);
  } else {
    db.changed(key);
  }
}

/**
 * Pops up to `count` elements from one end and writes them as an array
 * (LPOP/RPOP with COUNT, LMPOP, BLMPOP), then notifies and deletes if emptied.
 */
export function popRangeReply(
  s: Session,
  w: ReplyWriter,
  db: Database,
  dbIndex: number,
  key: string,
  list: ListValue,
  left: boolean,
  count: number,
): void {
  const n = Math.min(count, list.size);
  w.array(n);
  for (let i = 0; i < n; i++) w.bulk(left ? list.popFront()! : list.popBack()!);
  elementsRemoved(s, db, dbIndex, key, list, left);
}

/**
 * LMOVE's core (also BLMOVE when served): pops from `src` and pushes onto
 * `dst` (created if missing), with Redis's notification order: the push on
 * the destination, then the pop on the source, then "del" if it emptied.
 * `dstList` must already be type-checked. Returns the moved element.
 */
export function moveElement(
  s: Session,
  db: Database,
  dbIndex: number,
  src: string,
  srcList: ListValue,
  dst: string,
  dstList: ListValue | undefined,
  fromLeft: boolean,
  toLeft: boolean,
): string {
  const node = s.node;
  const value = fromLeft ? srcList.popFront()! : srcList.popBack()!;
  let target = dstList;
  const created = target === undefined;
  if (target === undefined) target = new ListValue();
  if (toLeft) target.pushFront(value);
  else target.pushBack(value);
  if (created) db.set(dst, target);
  else db.changed(dst);
  node.notify('l', toLeft ? 'lpush' : 'rpush', dst, dbIndex);
  node.notify('l', fromLeft ? 'lpop' : 'rpop', src, dbIndex);
  if (srcList.size === 0) {
    db.delete(src);
    node.notify('g', 'del', src, dbIndex);
  } else if (srcList !== target) {
    db.changed(src);
  }
  return value;
}

/** Writes an error to an out-of-band reply, counted in errorstats as Session.error does. */
export function deliverError(s: Session, w: ReplyWriter, message: string): void {
  w.error(message);
  const sp = message.indexOf(' ');
  s.node.stats.countError(sp < 0 ? message : message.slice(0, sp));
}

/** LPUSH/RPUSH/LPUSHX/RPUSHX (Redis's pushGenericCommand); `onlyExisting` for the X forms. */
export function pushGeneric(s: Session, args: string[], left: boolean, onlyExisting: boolean): void {
  const key = args[1]!;
  let list = writeList(s, key);
  const created = list === undefined;
  if (list === undefined) {
    if (onlyExisting) {
      s.out.int(0);
      return;
    }
    list = new ListValue();
  }
  const n = args.length;
  if (left) for (let j = 2; j < n; j++) list.pushFront(args[j]!);
  else for (let j = 2; j < n; j++) list.pushBack(args[j]!);
  if (created) s.db.set(key, list);
  else s.db.changed(key);
  s.out.int(list.size);
  s.notify('l', left ? 'lpush' : 'rpush', key);
}

/** LPOP/RPOP key [count] (Redis's popGenericCommand). */
export function popGeneric(s: Session, args: string[], left: boolean): void {
  if (args.length > 3) throw new ReplyError(wrongArity(left ? 'lpop' : 'rpop'));
  const hasCount = args.length === 3;
  const count = hasCount ? parsePositive(args[2]!) : 0;
  const key = args[1]!;
  const list = writeList(s, key);
  if (list === undefined) {
    if (hasCount) s.out.nilArray();
    else s.out.nil();
    return;
  }
  if (!hasCount) {
    s.out.bulk(left ? list.popFront()! : list.popBack()!);
    elementsRemoved(s, s.db, s.dbIndex, key, list, left);
  } else if (count === 0) {
    s.out.array(0);
  } else {
    popRangeReply(s, s.out, s.db, s.dbIndex, key, list, left, count);
  }
}

/** LMOVE/RPOPLPUSH (Redis's lmoveGenericCommand). */
export function lmoveGeneric(s: Session, src: string, dst: string, fromLeft: boolean, toLeft: boolean): void {
  const list = writeList(s, src);
  if (list === undefined) {
    s.out.nil();
    return;
  }
  const target = writeList(s, dst);
  s.out.bulk(moveElement(s, s.db, s.dbIndex, src, list, dst, target, fromLeft, toLeft));
}
