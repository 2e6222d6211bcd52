import { NO_KEYS, type CommandSpec } from '../spec.js';
import { parseScanArgs } from '../scan-args.js';
import { globMatch } from '../../core/glob.js';
import { typeOf } from '../../keyspace/values.js';

export const scan = {
  name: 'scan',
  arity: -2,
  flags: ['readonly'],
  group: 'generic',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow'],
  summary: 'Incrementally iterate the keys space',
  since: '2.8.0',
  complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.',
  run(s, args) {
    const opts = parseScanArgs(args, 1, true);
    const db = s.db;
    const now = s.nowMs;
    // Collect first, filter after (as Redis does): filtering may delete
    // expired keys, which moves entries of the map being walked.
    const found: string[] = [];
    const next = db.map.scanKeys(opts.cursor, opts.count, found);
    let kept = 0;
    for (let i = 0; i < found.length; i++) {
      const k = found[i]!;
      if (opts.match !== null && !globMatch(opts.match, k)) continue;
      const v = db.peek(k, now);
      if (v === undefined) continue;
      if (opts.type !== null && typeOf(v) !== opts.type) continue;
      found[kept++] = k;
    }
    found.length = kept;
    s.out.array(2);
    s.out.bulk(String(next));
    s.out.bulks(found);
  },
} as const satisfies CommandSpec;
