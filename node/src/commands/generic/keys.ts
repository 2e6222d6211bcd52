import { NO_KEYS, type CommandSpec } from '../spec.js';
import { globMatch } from '../../core/glob.js';

export const keys = {
  name: 'keys',
  arity: 2,
  flags: ['readonly'],
  group: 'generic',
  keys: NO_KEYS,
  acl: ['@keyspace', '@slow', '@dangerous'],
  summary: 'Find all keys matching the given pattern',
  since: '1.0.0',
  complexity: 'O(N) with N being the number of keys in the database',
  run(s, args) {
    const pattern = args[1]!;
    const all = pattern === '*';
    const db = s.db;
    const now = s.nowMs;
    const names = db.map.keys;
    const out: string[] = [];
    for (let i = 0, n = names.length; i < n; i++) {
      const k = names[i]!;
      // Expired keys are skipped, not deleted: deleting would reorder the
      // array being walked (Redis's KEYS also only skips them).
      if ((all || globMatch(pattern, k)) && !db.isExpired(k, now)) out.push(k);
    }
    s.out.bulks(out);
  },
} as const satisfies CommandSpec;
