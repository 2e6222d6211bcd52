// What the sorted-set commands share: key lookups with Redis's statistics and
// type check, the encoding limits from the config, range parsing with
// zslParseRange/zslParseLexRange's exact acceptance, and reply shapes.

import { readTyped, writeTypedIn } from '../lookup.js';
import { ReplyError } from '../../core/errors.js';
import type { Database } from '../../keyspace/database.js';
import { ZSetValue, type LexBound, type LexRange, type ScoreRange, type ZSetLimits } from '../../keyspace/types/zset.js';
import type { ReplyWriter } from '../../resp/writer.js';
import { parseDouble } from '../args.js';
import type { Session } from '../session.js';

export const ERR_NOT_FLOAT_RANGE = 'ERR min or max is not a float';
export const ERR_NOT_LEX_RANGE = 'ERR min or max not valid string range item';

export function zsetLimits(s: Session): ZSetLimits {
  const c = s.node.config;
  return {
    maxListpackEntries: c.getNumber('zset-max-listpack-entries'),
    maxListpackValue: c.getNumber('zset-max-listpack-value'),
  };
}

/**
 * lookupKeyRead + checkType: counts a keyspace hit or miss as Redis does
 * for read commands, and refuses a key of another type.
 */
export function readZset(s: Session, key: string): ZSetValue | undefined {
  return readTyped(s, key, ZSetValue);
}

/** lookupKeyWrite + checkType: no hit/miss statistics. */
export function writeZset(s: Session, key: string): ZSetValue | undefined {
  return zsetIn(s.db, key, s.node.keyspace.nowMs);
}

export function zsetIn(db: Database, key: string, nowMs: number): ZSetValue | undefined {
  return writeTypedIn(db, key, nowMs, ZSetValue);
}

/** After removing members: deletes an emptied key (with its "del" event) or records the change. */
export function afterRemoval(s: Session, key: string, z: ZSetValue): void {
  if (z.size === 0) {
    s.db.delete(key);
    s.notify('g', 'del', key);
  } else s.db.changed(key);
}

/**
 * getDoubleFromObject: parseDouble, but a number that overflows to infinity
 * or underflows to zero (strtod's ERANGE) is refused, while "inf" itself is
 * fine: ZADD z 1e400 a and ZADD z 1e-400 a both fail in Redis.
 */
export function parseScore(t: string): number | null {
  const v = parseDouble(t);
  if (v === null) return null;
  if (v === Infinity || v === -Infinity) {
    const c = t.charCodeAt(0);
    const word = (c === 43 || c === 45 ? t.slice(1) : t).toLowerCase();
    return word === 'inf' || word === 'infinity' ? v : null;
  }
  if (v === 0) {
    const body = t.replace(/^[+-]/, '');
    const hex = body.length > 1 && (body[1] === 'x' || body[1] === 'X');
    const mantissa = hex ? body.slice(2).split(/p/i)[0]! : body.split(/e/i)[0]!;
    if ((hex ? /[1-9a-f]/i : /[1-9]/).test(mantissa)) return null;
  }
  return v;
}

/**
 * C's strtod as zslParseRange uses it: leading whitespace is skipped, an
 * empty string reads as 0 (nothing parsed, nothing left over), trailing
 * garbage and NaN are refused.
 */
function strtodWhole(t: string): number | null {
  if (t.length === 0) return 0;
  let i = 0;
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13)) break;
    i++;
  }
  // Only whitespace: strtod converts nothing and leaves the pointer at the start.
  if (i === t.length) return null;
  return parseDouble(i === 0 ? t : t.slice(i));
}

function parseScoreBound(t: string, range: ScoreRange, isMin: boolean): boolean {
  const ex = t.charCodeAt(0) === 40; /* ( */
  const v = strtodWhole(ex ? t.slice(1) : t);
  if (v === null) return false;
  if (isMin) {
    range.min = v;
    range.minex = ex;
  } else {
    range.max = v;
    range.maxex = ex;
  }
  return true;
}

/** zslParseRange: "(" marks an exclusive bound; throws Redis's error. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const r: ScoreRange = { min: 0, max: 0, minex: false, maxex: false };
  if (!parseScoreBound(min, r, true) || !parseScoreBound(max, r, false)) throw new ReplyError(ERR_NOT_FLOAT_RANGE);
  return r;
}

function parseLexBound(t: string): LexBound | null {
  const c = t.charCodeAt(0);
  if (c === 43 /* + */ && t.length === 1) return { value: '', inf: 1, ex: true };
  if (c === 45 /* - */ && t.length === 1) return { value: '', inf: -1, ex: true };
  if (c === 40 /* ( */) return { value: t.slice(1), inf: 0, ex: true };
  if (c === 91 /* [ */) return { value: t.slice(1), inf: 0, ex: false };
  return null;
}

/** zslParseLexRange: "-", "+", "[x" or "(x"; throws Redis's error. */
export function parseLexRange(min: string, max: string): LexRange {
  const a = parseLexBound(min);
  const b = parseLexBound(max);
  if (a === null || b === null) throw new ReplyError(ERR_NOT_LEX_RANGE);
  return { min: a, max: b };
}

/**
 * Array header of a reply of `n` members: with WITHSCORES, RESP2 gets a flat
 * array of member, score, ...; RESP3 an array of [member, score] pairs.
 */
export function beginMembers(w: ReplyWriter, n: number, withScores: boolean): void {
  w.array(withScores && w.resp === 2 ? n * 2 : n);
}

export function writeMember(w: ReplyWriter, member: string, score: number, withScores: boolean): void {
  if (!withScores) {
    w.bulk(member);
    return;
  }
  if (w.resp === 3) w.array(2);
  w.bulk(member);
  w.double(score);
}

/** Legacy key positions of "numkeys key..." commands: the numkeys keys after args[numkeysAt]. */
export function numkeysFinder(numkeysAt: number, extra: readonly number[] = []): (args: readonly string[]) => number[] {
  return (args) => {
    const out = extra.slice();
    const n = Number(args[numkeysAt]);
    if (!Number.isInteger(n) || n < 1) return out;
    for (let i = numkeysAt + 1; i <= numkeysAt + n && i < args.length; i++) out.push(i);
    return out;
  };
}
