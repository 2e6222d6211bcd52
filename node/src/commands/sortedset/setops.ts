// Redis's zunionInterDiffGenericCommand: ZUNION/ZINTER/ZDIFF, their STORE
// forms and ZINTERCARD. Inputs may be sorted sets or plain sets (every
// member scoring 1). Sources are visited in Redis's order (ascending size
// for union and intersection; first then descending size for difference)
// because SUM of doubles depends on the order of the additions.

import { Err, ReplyError } from '../../core/errors.js';
import { ZSetValue } from '../../keyspace/types/zset.js';
import type { SetValue } from '../../keyspace/types/set.js';
import { is, parseInteger } from '../args.js';
import type { Session } from '../session.js';
import { beginMembers, parseScore, writeMember, zsetLimits } from './common.js';
import { storeOrDelete } from './range.js';

export const OP_UNION = 0;
export const OP_INTER = 1;
export const OP_DIFF = 2;

const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

interface Source {
  z: ZSetValue | null;
  set: SetValue | null;
  weight: number;
  size: number;
}

/** Score of member in src (sets score 1), or undefined. */
function find(src: Source, member: string): number | undefined {
  if (src.z !== null) return src.z.score(member);
  if (src.set !== null && src.set.has(member)) return 1;
  return undefined;
}

function aggregate(target: number, v: number, agg: number): number {
  if (agg === AGG_SUM) {
    const r = target + v;
    // inf + -inf: Redis keeps the convention that the sum is 0.
    return Number.isNaN(r) ? 0 : r;
  }
  if (agg === AGG_MIN) return v < target ? v : target;
  return v > target ? v : target;
}

/** Calls fn for each (member, score) of src. */
function forEach(src: Source, fn: (member: string, score: number) => void): void {
  if (src.z !== null) {
    const keys = src.z.dict.keys;
    const vals = src.z.dict.vals;
    for (let i = 0; i < keys.length; i++) fn(keys[i]!, vals[i]!);
  } else if (src.set !== null) {
    const keys = src.set.map.keys;
    for (let i = 0; i < keys.length; i++) fn(keys[i]!, 1);
  }
}

/**
 * `dst` is the destination key for the STORE forms (null otherwise);
 * args[numkeysAt] is numkeys. `cardOnly` is ZINTERCARD.
 */
export function zsetOpGeneric(s: Session, args: string[], dst: string | null, numkeysAt: number, op: number, cardOnly: boolean): void {
  const setnum = parseInteger(args[numkeysAt]!);
  if (setnum === null) throw new ReplyError(Err.notInteger);
  if (setnum < 1) throw new ReplyError(`ERR at least 1 input key is needed for '${args[0]!.toLowerCase()}' command`);
  if (setnum > args.length - numkeysAt - 1) throw new ReplyError(Err.syntax);

  const ks = s.node.keyspace;
  const srcs: Source[] = new Array<Source>(setnum);
  let j = numkeysAt + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const v = s.db.read(args[j]!, ks.nowMs);
    const src: Source = { z: null, set: null, weight: 1, size: 0 };
    if (v === undefined) ks.stats.keyspaceMisses++;
    else {
      ks.stats.keyspaceHits++;
      if (v instanceof ZSetValue) src.z = v;
      else if (typeof v !== 'string' && !Buffer.isBuffer(v) && v.type === 'set') src.set = v as SetValue;
      else throw new ReplyError(Err.wrongType);
      src.size = v.size;
    }
    srcs[i] = src;
  }

  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  let remaining = args.length - j;
  while (remaining > 0) {
    const a = args[j]!;
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && is(a, 'weights')) {
      j++;
      remaining--;
      for (let i = 0; i < setnum; i++, j++, remaining--) {
        const w = parseScore(args[j]!);
        if (w === null) throw new ReplyError('ERR weight value is not a float');
        srcs[i]!.weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && is(a, 'aggregate')) {
      const b = args[j + 1]!;
      if (is(b, 'sum')) agg = AGG_SUM;
      else if (is(b, 'min')) agg = AGG_MIN;
      else if (is(b, 'max')) agg = AGG_MAX;
      else throw new ReplyError(Err.syntax);
      j += 2;
      remaining -= 2;
    } else if (dst === null && !cardOnly && is(a, 'withscores')) {
      withScores = true;
      j++;
      remaining--;
    } else if (cardOnly && remaining >= 2 && is(a, 'limit')) {
      const n = parseInteger(args[j + 1]!);
      if (n === null || n < 0) throw new ReplyError("ERR LIMIT can't be negative");
      limit = n;
      j += 2;
      remaining -= 2;
    } else throw new ReplyError(Err.syntax);
  }

  // Array.prototype.sort is stable, like the merge sort glibc's qsort uses.
  if (op !== OP_DIFF) srcs.sort((a, b) => a.size - b.size);
  else if (setnum > 1) {
    const rest = srcs.slice(1).sort((a, b) => b.size - a.size);
    for (let i = 0; i < rest.length; i++) srcs[i + 1] = rest[i]!;
  }

  if (cardOnly) {
    s.out.int(interCard(srcs, limit));
    return;
  }
  const limits = zsetLimits(s);
  const result = new ZSetValue(false);
  let maxLen = 0;
  if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (let i = 0; i < srcs.length; i++) {
      const src = srcs[i]!;
      const weight = src.weight;
      forEach(src, (member, score) => {
        let v = weight * score;
        if (Number.isNaN(v)) v = 0; // inf * 0
        const cur = acc.get(member);
        acc.set(member, cur === undefined ? v : aggregate(cur, v, agg));
      });
    }
    for (const [member, score] of acc) {
      result.set(member, score, limits);
      if (member.length > maxLen) maxLen = member.length;
    }
  } else if (op === OP_INTER) {
    const first = srcs[0]!;
    if (first.size > 0) {
      forEach(first, (member, score) => {
        let v = first.weight * score;
        if (Number.isNaN(v)) v = 0;
        for (let i = 1; i < srcs.length; i++) {
          const other = srcs[i]!;
          const found = find(other, member);
          if (found === undefined) return;
          // Unlike the first source's, a NaN here (inf * 0) is not zeroed:
          // SUM turns the total into 0 and MIN/MAX ignore it, as in Redis.
          v = aggregate(v, other.weight * found, agg);
        }
        result.set(member, v, limits);
        if (member.length > maxLen) maxLen = member.length;
      });
    }
  } else {
    const first = srcs[0]!;
    forEach(first, (member, score) => {
      for (let i = 1; i < srcs.length; i++) if (find(srcs[i]!, member) !== undefined) return;
      result.set(member, score, limits);
      if (member.length > maxLen) maxLen = member.length;
    });
  }

  if (dst !== null) {
    result.fitLimits(limits, maxLen);
    storeOrDelete(s, dst, result, op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore');
    return;
  }
  const w = s.out;
  beginMembers(w, result.size, withScores);
  for (let n = result.first(); n !== null; n = n.next[0] ?? null) writeMember(w, n.member, n.score, withScores);
}

function interCard(srcs: Source[], limit: number): number {
  const first = srcs[0]!;
  if (first.size === 0) return 0;
  let card = 0;
  const check = (member: string): boolean => {
    for (let i = 1; i < srcs.length; i++) if (find(srcs[i]!, member) === undefined) return false;
    return true;
  };
  const keys = first.z !== null ? first.z.dict.keys : first.set!.map.keys;
  for (let i = 0; i < keys.length; i++) {
    if (check(keys[i]!)) {
      card++;
      if (limit > 0 && card === limit) break;
    }
  }
  return card;
}
