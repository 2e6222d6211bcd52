// Redis's zrangeGenericCommand: every ZRANGE-family command (ZRANGE with
// BYSCORE/BYLEX/REV/LIMIT, ZREVRANGE, Z[REV]RANGEBY{SCORE,LEX}, ZRANGESTORE)
// parses its options here, in Redis's order, so conflicts and errors come
// out exactly as redis-server words them, and emits either to the client or
// into a destination key.

import { Err, ReplyError } from '../../core/errors.js';
import { ZSetValue, lexGteMin, lexLteMax, scoreGteMin, scoreLteMax, type LexRange, type ScoreRange, type ZNode } from '../../keyspace/types/zset.js';
import { is, parseInteger } from '../args.js';
import type { Session } from '../session.js';
import { beginMembers, parseLexRange, parseScoreRange, readZset, writeMember, zsetLimits } from './common.js';

export const BY_AUTO = 0;
export const BY_RANK = 1;
export const BY_SCORE = 2;
export const BY_LEX = 3;
export const DIR_AUTO = 0;
export const DIR_FORWARD = 1;
export const DIR_REVERSE = 2;

// Selected nodes for score/lex ranges, whose length is only known after the
// walk; reused across calls because commands run to completion.
const picked: ZNode[] = [];

function toInt(a: string): number {
  const n = parseInteger(a);
  if (n === null) throw new ReplyError(Err.notInteger);
  return n;
}

/**
 * `keyAt` is the source key's index; min and max follow it. With `store`,
 * args[1] is the destination (ZRANGESTORE).
 */
export function zrangeGeneric(s: Session, args: string[], keyAt: number, store: boolean, by: number, dir: number): void {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = keyAt + 3; j < args.length; j++) {
    const a = args[j]!;
    const left = args.length - j - 1;
    if (!store && is(a, 'withscores')) withScores = true;
    else if (left >= 2 && is(a, 'limit')) {
      offset = toInt(args[j + 1]!);
      limit = toInt(args[j + 2]!);
      j += 2;
    } else if (dir === DIR_AUTO && is(a, 'rev')) dir = DIR_REVERSE;
    else if (by === BY_AUTO && is(a, 'bylex')) by = BY_LEX;
    else if (by === BY_AUTO && is(a, 'byscore')) by = BY_SCORE;
    else throw new ReplyError(Err.syntax);
  }
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (by === BY_AUTO) by = BY_RANK;
  // "LIMIT 0 -1" is Redis's default, so it passes unnoticed with a rank range.
  if (limit !== -1 && by === BY_RANK) {
    throw new ReplyError('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
  }
  if (withScores && by === BY_LEX) {
    throw new ReplyError('ERR syntax error, WITHSCORES not supported in combination with BYLEX');
  }
  const reverse = dir === DIR_REVERSE;
  // Reverse score and lex ranges are written max first.
  let minArg = args[keyAt + 1]!;
  let maxArg = args[keyAt + 2]!;
  if (reverse && by !== BY_RANK) {
    const t = minArg;
    minArg = maxArg;
    maxArg = t;
  }
  let start = 0;
  let end = 0;
  let scoreRange: ScoreRange | null = null;
  let lexRange: LexRange | null = null;
  if (by === BY_RANK) {
    start = toInt(minArg);
    end = toInt(maxArg);
  } else if (by === BY_SCORE) scoreRange = parseScoreRange(minArg, maxArg);
  else lexRange = parseLexRange(minArg, maxArg);

  const z = readZset(s, args[keyAt]!);
  let dest = store ? new ZSetValue() : null;
  if (z !== undefined) {
    if (by === BY_RANK) {
      dest = rankRange(s, z, start, end, reverse, withScores, store);
      if (dest === null) return;
    } else {
      collect(z, scoreRange, lexRange, reverse, offset, limit);
      if (dest === null) {
        const w = s.out;
        beginMembers(w, picked.length, withScores);
        for (let i = 0; i < picked.length; i++) writeMember(w, picked[i]!.member, picked[i]!.score, withScores);
        picked.length = 0;
        return;
      }
      fill(s, dest);
    }
  } else if (dest === null) {
    s.out.array(0);
    return;
  }
  storeResult(s, args[1]!, dest!);
}

/** Emits a rank range (returning null), or with `store` returns it as a new zset. */
function rankRange(s: Session, z: ZSetValue, start: number, end: number, reverse: boolean, withScores: boolean, store: boolean): ZSetValue | null {
  const len = z.size;
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  let n = 0;
  if (!(start > end || start >= len)) {
    if (end >= len) end = len - 1;
    n = end - start + 1;
  }
  if (!store) {
    const w = s.out;
    beginMembers(w, n, withScores);
    if (n === 0) return null;
    let node = z.atRank(reverse ? len - 1 - start : start);
    for (let i = 0; i < n && node !== null; i++) {
      writeMember(w, node.member, node.score, withScores);
      node = reverse ? node.backward : (node.next[0] ?? null);
    }
    return null;
  }
  // The length is known here, so like Redis's zsetTypeCreate the result
  // starts as a skiplist when it will not fit a listpack (and keeps -0).
  const dest = new ZSetValue(n <= zsetLimits(s).maxListpackEntries);
  if (n > 0) {
    let node = z.atRank(reverse ? len - 1 - start : start);
    for (let i = 0; i < n && node !== null; i++) {
      picked.push(node);
      node = reverse ? node.backward : (node.next[0] ?? null);
    }
    fill(s, dest);
  }
  return dest;
}

/** Walks a score or lex range into `picked`, honouring LIMIT offset/count as Redis does. */
function collect(z: ZSetValue, sr: ScoreRange | null, lr: LexRange | null, reverse: boolean, offset: number, limit: number): void {
  // An offset past the end answers empty at once; a negative one skips
  // everything, because Redis's `while (ln && offset--)` never reaches zero.
  if (offset > 0 && offset >= z.size) return;
  let node: ZNode | null;
  if (sr !== null) node = reverse ? z.lastInScoreRange(sr) : z.firstInScoreRange(sr);
  else node = reverse ? z.lastInLexRange(lr!) : z.firstInLexRange(lr!);
  if (offset < 0) return;
  while (node !== null && offset > 0) {
    node = reverse ? node.backward : (node.next[0] ?? null);
    offset--;
  }
  // A negative count means no limit.
  while (node !== null && limit !== 0) {
    if (sr !== null) {
      if (reverse ? !scoreGteMin(node.score, sr) : !scoreLteMax(node.score, sr)) break;
    } else if (reverse ? !lexGteMin(node.member, lr!) : !lexLteMax(node.member, lr!)) break;
    picked.push(node);
    if (limit > 0) limit--;
    node = reverse ? node.backward : (node.next[0] ?? null);
  }
}

function fill(s: Session, dest: ZSetValue): void {
  const limits = zsetLimits(s);
  for (let i = 0; i < picked.length; i++) dest.set(picked[i]!.member, picked[i]!.score, limits);
  picked.length = 0;
}

/** zrangeResultFinalizeStore: store a non-empty result (dropping any TTL), else delete the destination. */
export function storeResult(s: Session, dst: string, dest: ZSetValue): void {
  storeOrDelete(s, dst, dest, 'zrangestore');
}

export function storeOrDelete(s: Session, dst: string, dest: ZSetValue, event: string): void {
  const n = dest.size;
  if (n > 0) {
    s.db.set(dst, dest);
    s.out.int(n);
    s.notify('z', event, dst);
  } else {
    s.out.int(0);
    if (s.db.delete(dst)) s.notify('g', 'del', dst);
  }
}
