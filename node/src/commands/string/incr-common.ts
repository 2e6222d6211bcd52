// INCR, DECR, INCRBY, DECRBY share incrDecrCommand: the stored value must
// be a canonical int64 text, the result must stay in int64. Numbers below
// 2^53 take the plain number path; BigInt only when a value or the result
// leaves the safe range, so the common counter costs no allocation beyond
// the result string.

import type { Session } from '../session.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseInt64 } from '../args.js';
import { stringText } from '../../keyspace/types/strings.js';
import { parseShortInt, replyBigInt } from './common.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** A canonical int64 text as a number when short enough to be exact, else a bigint; null if refused. */
export function parseCounter(text: string): number | bigint | null {
  if (text.length < 16) return parseShortInt(text);
  return parseInt64(text);
}

export function incrDecr(s: Session, key: string, incr: number | bigint): void {
  const db = s.db;
  const cur = db.read(key, s.nowMs);
  let value: number | bigint = 0;
  if (cur !== undefined) {
    if (typeof cur !== 'string' && !Buffer.isBuffer(cur)) {
      s.error(Err.wrongType);
      return;
    }
    const parsed = parseCounter(typeof cur === 'string' ? cur : stringText(cur));
    if (parsed === null) throw new ReplyError(Err.notInteger);
    value = parsed;
  }
  let result: number | bigint;
  if (typeof value === 'number' && typeof incr === 'number' && Number.isSafeInteger(value + incr)) {
    result = value + incr;
  } else {
    const big = BigInt(value) + BigInt(incr);
    if (big > INT64_MAX || big < INT64_MIN) throw new ReplyError(Err.overflow);
    result = big;
  }
  // dbReplace keeps the TTL; a missing key is created.
  db.replace(key, String(result));
  s.notify('$', 'incrby', key);
  if (typeof result === 'number') s.out.int(result);
  else replyBigInt(s, result);
}
