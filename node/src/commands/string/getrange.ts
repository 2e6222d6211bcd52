import type { CommandSpec, CommandRun } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import { readKey, replyValue } from './common.js';

/** GETRANGE and its old name SUBSTR: inclusive byte range, negative from the end. */
export const getrangeRun: CommandRun = (s, args) => {
  let start = parseInteger(args[2]!);
  let end = parseInteger(args[3]!);
  if (start === null || end === null) throw new ReplyError(Err.notInteger);
  const v = readKey(s, args[1]!);
  if (v === undefined) {
    s.out.bulk('');
    return;
  }
  if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
    s.error(Err.wrongType);
    return;
  }
  const len = v.length;
  if (start < 0 && end < 0 && start > end) {
    s.out.bulk('');
    return;
  }
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) {
    s.out.bulk('');
    return;
  }
  if (typeof v === 'string') s.out.bulk(start === 0 && end === len - 1 ? v : v.slice(start, end + 1));
  else replyValue(s, v.subarray(start, end + 1));
};

export const getrange = {
  name: 'getrange',
  arity: 4,
  flags: ['readonly'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Get a substring of the string stored at a key',
  since: '2.4.0',
  complexity: 'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
  run: getrangeRun,
} as const satisfies CommandSpec;
