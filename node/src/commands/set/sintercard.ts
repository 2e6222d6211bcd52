import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is, parseInteger } from '../args.js';
import { intersect } from './common.js';

/** The key indices of SINTERCARD numkeys key [key ...] (none if numkeys is invalid). */
function findKeys(args: readonly string[]): number[] {
  const n = parseInteger(args[1] ?? '');
  if (n === null || n < 1) return [];
  const out: number[] = [];
  for (let i = 2; i < 2 + n && i < args.length; i++) out.push(i);
  return out;
}

export const sintercard = {
  name: 'sintercard',
  arity: -3,
  flags: ['readonly', 'movablekeys'],
  group: 'set',
  keys: { first: 0, last: 0, step: 0, find: findKeys },
  summary: 'Intersect multiple sets and return the cardinality of the result',
  since: '7.0.0',
  complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.',
  run(s, args) {
    const numkeys = parseInteger(args[1]!);
    if (numkeys === null || numkeys < 1) throw new ReplyError('ERR numkeys should be greater than 0');
    if (numkeys > args.length - 2) throw new ReplyError("ERR Number of keys can't be greater than number of args");
    let limit = 0;
    for (let i = 2 + numkeys; i < args.length; i++) {
      if (is(args[i], 'limit') && i + 1 < args.length) {
        const n = parseInteger(args[++i]!);
        if (n === null || n < 0) throw new ReplyError("ERR LIMIT can't be negative");
        limit = n;
      } else throw new ReplyError(Err.syntax);
    }
    s.out.int(intersect(s, args.slice(2, 2 + numkeys), limit).length);
  },
} as const satisfies CommandSpec;
