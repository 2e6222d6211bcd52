import type { CommandSpec } from '../spec.js';
import { globMatch } from '../../core/glob.js';
import { parseCursor, parseScanArgs } from '../scan-args.js';
import { readSet } from './common.js';

export const sscan = {
  name: 'sscan',
  arity: -3,
  flags: ['readonly'],
  group: 'set',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Incrementally iterate Set elements',
  since: '2.8.0',
  complexity:
    'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..',
  run(s, args) {
    // Redis validates the cursor before the key, and the options only for an existing set.
    parseCursor(args[2]!);
    const set = readSet(s, args[1]!);
    if (set === undefined) {
      s.out.array(2);
      s.out.bulk('0');
      s.out.array(0);
      return;
    }
    const opts = parseScanArgs(args, 2, false);
    const match = opts.match;
    const items: string[] = [];
    let next = 0;
    if (set.compact) {
      // An intset has no cursor: Redis returns all of it at once, in order.
      const members = set.members();
      for (let i = 0; i < members.length; i++) {
        if (match === null || globMatch(match, members[i]!)) items.push(members[i]!);
      }
    } else {
      next = set.map.scan(opts.cursor, opts.count, (m) => {
        if (match === null || globMatch(match, m)) items.push(m);
      });
    }
    s.out.array(2);
    s.out.bulk(String(next));
    s.out.bulks(items);
  },
} as const satisfies CommandSpec;
