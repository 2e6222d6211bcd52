// Redis's zremrangeGenericCommand: the range is parsed (and refused) before
// the key is looked at; a missing key answers 0.

import { Err, ReplyError } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import type { Session } from '../session.js';
import { afterRemoval, parseLexRange, parseScoreRange, writeZset } from './common.js';

export const REM_RANK = 0;
export const REM_SCORE = 1;
export const REM_LEX = 2;

const EVENTS = ['zremrangebyrank', 'zremrangebyscore', 'zremrangebylex'] as const;

export function zremrangeGeneric(s: Session, args: string[], kind: number): void {
  const key = args[1]!;
  let start = 0;
  let end = 0;
  const scoreRange = kind === REM_SCORE ? parseScoreRange(args[2]!, args[3]!) : null;
  const lexRange = kind === REM_LEX ? parseLexRange(args[2]!, args[3]!) : null;
  if (kind === REM_RANK) {
    const a = parseInteger(args[2]!);
    const b = parseInteger(args[3]!);
    if (a === null || b === null) throw new ReplyError(Err.notInteger);
    start = a;
    end = b;
  }
  const z = writeZset(s, key);
  if (z === undefined) {
    s.out.int(0);
    return;
  }
  let removed: number;
  if (kind === REM_RANK) {
    const len = z.size;
    if (start < 0) start += len;
    if (end < 0) end += len;
    if (start < 0) start = 0;
    if (start > end || start >= len) {
      s.out.int(0);
      return;
    }
    if (end >= len) end = len - 1;
    removed = z.deleteRangeByRank(start, end);
  } else if (scoreRange !== null) removed = z.deleteRangeByScore(scoreRange);
  else removed = z.deleteRangeByLex(lexRange!);
  if (removed > 0) {
    s.notify('z', EVENTS[kind]!, key);
    afterRemoval(s, key, z);
  }
  s.out.int(removed);
}
