import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is } from '../args.js';
import { parseLong, parsePositive, readList } from './common.js';

const RANK_ZERO =
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list";

export const lpos = {
  name: 'lpos',
  arity: -3,
  flags: ['readonly'],
  group: 'list',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Return the index of matching elements on a list',
  since: '6.0.6',
  complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.',
  run(s, args) {
    let rank = 1;
    let count = -1;
    let maxlen = 0;
    // RANK -9223372036854775808 cannot be negated in C: Redis ends up
    // matching from the first hit from the tail and never stops on COUNT.
    let rankMin = false;
    for (let j = 3; j < args.length; j++) {
      const more = j < args.length - 1;
      const opt = args[j]!;
      if (more && is(opt, 'rank')) {
        const text = args[++j]!;
        rank = parseLong(text);
        if (rank === 0) throw new ReplyError(RANK_ZERO);
        rankMin = text === '-9223372036854775808';
      } else if (more && is(opt, 'count')) {
        count = parsePositive(args[++j]!, "ERR COUNT can't be negative");
      } else if (more && is(opt, 'maxlen')) {
        maxlen = parsePositive(args[++j]!, "ERR MAXLEN can't be negative");
      } else {
        throw new ReplyError(Err.syntax);
      }
    }
    const fromTail = rank < 0;
    if (fromTail) rank = rankMin ? -Infinity : -rank;
    const list = readList(s, args[1]!);
    const out = s.out;
    if (list === undefined) {
      if (count !== -1) out.array(0);
      else out.nil();
      return;
    }
    const ele = args[2]!;
    const len = list.size;
    const limit = maxlen === 0 ? len : Math.min(maxlen, len);
    let matches = 0;
    if (count === -1) {
      for (let k = 0; k < limit; k++) {
        const i = fromTail ? len - 1 - k : k;
        if (list.at(i) === ele && ++matches >= rank) {
          out.int(i);
          return;
        }
      }
      out.nil();
      return;
    }
    const found: number[] = [];
    for (let k = 0; k < limit; k++) {
      const i = fromTail ? len - 1 - k : k;
      if (list.at(i) !== ele || ++matches < rank) continue;
      found.push(i);
      if (count !== 0 && !rankMin && matches - rank + 1 >= count) break;
    }
    out.array(found.length);
    for (const i of found) out.int(i);
  },
} as const satisfies CommandSpec;
