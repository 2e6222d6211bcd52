// ZADD and ZINCRBY share Redis's zaddGenericCommand: flags, then
// score/member pairs whose scores are all parsed before anything changes.

import { Err, ReplyError } from '../../core/errors.js';
import { ZSetValue } from '../../keyspace/types/zset.js';
import type { Session } from '../session.js';
import { parseScore, writeZset, zsetLimits } from './common.js';

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const CH = 16;
const INCR = 32;

export const ERR_NAN_SCORE = 'ERR resulting score is not a number (NaN)';

function flagOf(a: string): number {
  if (a.length === 2) {
    const l = a.toLowerCase();
    if (l === 'nx') return NX;
    if (l === 'xx') return XX;
    if (l === 'gt') return GT;
    if (l === 'lt') return LT;
    if (l === 'ch') return CH;
  } else if (a.length === 4 && a.toLowerCase() === 'incr') return INCR;
  return 0;
}

/** Shared by ZADD (firstArg 2, options allowed) and ZINCRBY (INCR forced). */
export function zaddGeneric(s: Session, args: string[], forcedFlags: number): void {
  let flags = forcedFlags;
  let i = 2;
  if (forcedFlags === 0) {
    for (; i < args.length; i++) {
      const f = flagOf(args[i]!);
      if (f === 0) break;
      flags |= f;
    }
  }
  const elements = args.length - i;
  if (elements === 0 || elements % 2 !== 0) throw new ReplyError(Err.syntax);
  const pairs = elements / 2;
  const incr = (flags & INCR) !== 0;
  const nx = (flags & NX) !== 0;
  const xx = (flags & XX) !== 0;
  const gt = (flags & GT) !== 0;
  const lt = (flags & LT) !== 0;
  if (nx && xx) throw new ReplyError('ERR XX and NX options at the same time are not compatible');
  if ((gt && nx) || (lt && nx) || (gt && lt)) {
    throw new ReplyError('ERR GT, LT, and/or NX options at the same time are not compatible');
  }
  if (incr && pairs > 1) throw new ReplyError('ERR INCR option supports a single increment-element pair');

  // All scores first: a bad one must leave the key untouched.
  const scores = new Array<number>(pairs);
  for (let j = 0; j < pairs; j++) {
    const d = parseScore(args[i + j * 2]!);
    if (d === null) throw new ReplyError(Err.notFloat);
    scores[j] = d;
  }

  const key = args[1]!;
  let z = writeZset(s, key);
  let added = 0;
  let updated = 0;
  let processed = 0;
  let lastScore = 0;
  if (z === undefined) {
    if (xx) {
      replyZadd(s, incr, flags, 0, 0, 0, 0);
      return;
    }
    z = new ZSetValue();
    s.db.set(key, z);
  }
  const limits = zsetLimits(s);
  for (let j = 0; j < pairs; j++) {
    const member = args[i + j * 2 + 1]!;
    let score = scores[j]!;
    const cur = z.score(member);
    if (cur !== undefined) {
      if (nx) continue;
      if (incr) {
        score += cur;
        // INCR takes a single pair, so nothing has changed yet.
        if (Number.isNaN(score)) throw new ReplyError(ERR_NAN_SCORE);
      }
      if ((lt && score >= cur) || (gt && score <= cur)) continue;
      processed++;
      lastScore = score;
      if (score !== cur) {
        z.set(member, score, limits);
        updated++;
      }
    } else {
      if (xx) continue;
      z.set(member, score, limits);
      added++;
      processed++;
      lastScore = score;
    }
  }
  if (added + updated > 0) {
    s.db.changed(key);
    s.notify('z', incr ? 'zincr' : 'zadd', key);
  }
  replyZadd(s, incr, flags, added, updated, processed, lastScore);
}

function replyZadd(s: Session, incr: boolean, flags: number, added: number, updated: number, processed: number, score: number): void {
  if (incr) {
    if (processed > 0) s.out.double(score);
    else s.out.nil();
  } else s.out.int((flags & CH) !== 0 ? added + updated : added);
}

export const INCR_FLAG = INCR;
