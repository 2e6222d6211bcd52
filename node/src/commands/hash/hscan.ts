import type { CommandSpec } from '../spec.js';
import { globMatch } from '../../core/glob.js';
import { parseCursor, parseScanArgs } from '../scan-args.js';
import { readHash } from './common.js';

export const hscan = {
  name: 'hscan',
  arity: -3,
  flags: ['readonly'],
  group: 'hash',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Incrementally iterate hash fields and associated values',
  since: '2.8.0',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  run(s, args) {
    // Redis validates the cursor before the key, and the options only for an existing hash.
    parseCursor(args[2]!);
    const h = readHash(s, args[1]!);
    if (h === undefined) {
      s.out.array(2);
      s.out.bulk('0');
      s.out.array(0);
      return;
    }
    const opts = parseScanArgs(args, 2, false);
    const match = opts.match;
    const items: string[] = [];
    let next = 0;
    if (h.compact) {
      // A listpack has no cursor: Redis returns all of it at once.
      const keys = h.map.keys;
      const vals = h.map.vals;
      for (let i = 0; i < keys.length; i++) {
        if (match === null || globMatch(match, keys[i]!)) items.push(keys[i]!, vals[i]!);
      }
    } else {
      next = h.map.scan(opts.cursor, opts.count, (k, v) => {
        if (match === null || globMatch(match, k)) items.push(k, v);
      });
    }
    s.out.array(2);
    s.out.bulk(String(next));
    s.out.bulks(items);
  },
} as const satisfies CommandSpec;
