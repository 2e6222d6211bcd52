import type { CommandSpec } from '../spec.js';
import { globMatch } from '../../core/glob.js';
import { formatDouble } from '../../resp/writer.js';
import { parseCursor, parseScanArgs } from '../scan-args.js';
import { readZset } from './common.js';

export const zscan = {
  name: 'zscan',
  arity: -3,
  flags: ['readonly'],
  group: 'sorted-set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Incrementally iterate sorted sets elements and associated scores',
  since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  run(s, args) {
    // Redis checks the cursor, then the key, and only then the options.
    parseCursor(args[2]!);
    const z = readZset(s, args[1]!);
    const w = s.out;
    if (z === undefined) {
      w.array(2);
      w.bulk('0');
      w.array(0);
      return;
    }
    const opts = parseScanArgs(args, 2, false);
    const match = opts.match;
    const out: string[] = [];
    let next = 0;
    if (z.compact) {
      // A listpack is returned whole, in order, whatever the cursor.
      for (let n = z.first(); n !== null; n = n.next[0] ?? null) {
        if (match === null || globMatch(match, n.member)) out.push(n.member, formatDouble(n.score));
      }
    } else {
      const dict = z.dict;
      let k = opts.cursor <= 0 || opts.cursor > dict.size ? dict.size : opts.cursor;
      const stop = Math.max(0, k - opts.count);
      while (k > stop) {
        k--;
        const member = dict.keys[k]!;
        if (match === null || globMatch(match, member)) out.push(member, formatDouble(dict.vals[k]!));
      }
      next = k;
    }
    w.array(2);
    w.bulk(String(next));
    w.bulks(out);
  },
} as const satisfies CommandSpec;
