// What a client blocked in BLPOP, BRPOP, BLMPOP, BLMOVE or BRPOPLPUSH waits
// for, and how it is served once one of its keys holds a list: Redis 7.0's
// serveClientBlockedOnList. A key that holds another type serves nobody (the
// client stays blocked); a BLMOVE whose destination has the wrong type gets
// WRONGTYPE and is unblocked, leaving the source untouched. Every timeout
// reply is the null array, even BLMOVE's, as replyToBlockedClientTimedOut does.

import { Err } from '../../core/errors.js';
import { ListValue } from '../../keyspace/types/list.js';
import type { ReplyWriter } from '../../resp/writer.js';
import type { BlockRequest } from '../../services/blocking.js';
import type { Session } from '../session.js';
import { deliverError, elementsRemoved, lmoveGeneric, mayBlock, moveElement, popRangeReply, writeList } from './common.js';

export type ListBlockKind = 'pop' | 'mpop' | 'move';

export class ListBlock implements BlockRequest {
  constructor(
    readonly session: Session,
    readonly db: number,
    readonly keys: readonly string[],
    readonly deadlineMs: number,
    readonly kind: ListBlockKind,
    readonly fromLeft: boolean,
    /** BLMPOP's COUNT (1 when absent). */
    readonly count: number,
    /** BLMOVE's destination key and end. */
    readonly target: string,
    readonly toLeft: boolean,
  ) {}

  tryServe(key: string, w: ReplyWriter): boolean {
    const s = this.session;
    const ks = s.node.keyspace;
    const db = ks.db(this.db);
    const v = db.readForWrite(key, ks.nowMs);
    if (!(v instanceof ListValue) || v.size === 0) return false;
    switch (this.kind) {
      case 'pop': {
        const value = this.fromLeft ? v.popFront()! : v.popBack()!;
        w.array(2);
        w.bulk(key);
        w.bulk(value);
        elementsRemoved(s, db, this.db, key, v, this.fromLeft);
        // Replicas see the pop that happened, never a blocking command (Redis rewrites it too).
        s.propagate([this.fromLeft ? 'lpop' : 'rpop', key]);
        return true;
      }
      case 'mpop':
        w.array(2);
        w.bulk(key);
        popRangeReply(s, w, db, this.db, key, v, this.fromLeft, this.count);
        s.propagate([this.fromLeft ? 'lpop' : 'rpop', key, String(this.count)]);
        return true;
      case 'move': {
        const d = db.readForWrite(this.target, ks.nowMs);
        if (d !== undefined && !(d instanceof ListValue)) {
          deliverError(s, w, Err.wrongType);
          return true;
        }
        w.bulk(moveElement(s, db, this.db, key, v, this.target, d, this.fromLeft, this.toLeft));
        s.propagate(['lmove', key, this.target, this.fromLeft ? 'left' : 'right', this.toLeft ? 'left' : 'right']);
        return true;
      }
    }
  }

  onTimeout(w: ReplyWriter): void {
    w.nilArray();
  }
}

/**
 * BLPOP/BRPOP/BLMPOP (Redis's blockingPopGenericCommand): pops from the
 * first non-empty list among `keys`, or blocks. `count` is -1 for BLPOP and
 * BRPOP (reply [key, element]), else BLMPOP's (reply [key, [elements]]).
 */
export function blockingPop(s: Session, keys: readonly string[], left: boolean, count: number, deadlineMs: number): void {
  for (const key of keys) {
    const list = writeList(s, key);
    if (list === undefined || list.size === 0) continue;
    s.out.array(2);
    s.out.bulk(key);
    if (count !== -1) {
      popRangeReply(s, s.out, s.db, s.dbIndex, key, list, left, count);
      s.propagate([left ? 'lpop' : 'rpop', key, String(count)]);
    } else {
      s.out.bulk(left ? list.popFront()! : list.popBack()!);
      elementsRemoved(s, s.db, s.dbIndex, key, list, left);
      s.propagate([left ? 'lpop' : 'rpop', key]);
    }
    return;
  }
  if (!mayBlock(s)) {
    s.out.nilArray();
    return;
  }
  const kind = count === -1 ? 'pop' : 'mpop';
  s.node.blocking.block(new ListBlock(s, s.dbIndex, keys, deadlineMs, kind, left, count, '', false));
}

/** BLMOVE/BRPOPLPUSH (Redis's blmoveGenericCommand): moves now, or blocks on the source. */
export function blmoveGeneric(s: Session, src: string, dst: string, fromLeft: boolean, toLeft: boolean, deadlineMs: number): void {
  const list = writeList(s, src);
  if (list !== undefined) {
    lmoveGeneric(s, src, dst, fromLeft, toLeft);
    // Propagated only if it moved something (a WRONGTYPE destination leaves the dataset unchanged).
    s.propagate(['lmove', src, dst, fromLeft ? 'left' : 'right', toLeft ? 'left' : 'right']);
    return;
  }
  if (!mayBlock(s)) {
    s.out.nil();
    return;
  }
  s.node.blocking.block(new ListBlock(s, s.dbIndex, [src], deadlineMs, 'move', fromLeft, 1, dst, toLeft));
}
