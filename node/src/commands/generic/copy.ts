import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { is } from '../args.js';
import { parseDbIndex } from './db-index.js';
import { copyValue, lookupRead } from './common.js';

export const copy = {
  name: 'copy',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'generic',
  keys: { first: 1, last: 2, step: 1 },
  acl: ['@keyspace', '@slow'],
  summary: 'Copy a key',
  since: '6.2.0',
  complexity: 'O(N) worst case for collections, where N is the number of nested items. O(1) for string values.',
  run(s, args) {
    const ks = s.node.keyspace;
    let replace = false;
    let dstIndex = s.dbIndex;
    for (let j = 3; j < args.length; j++) {
      const a = args[j]!;
      if (is(a, 'replace')) {
        replace = true;
      } else if (is(a, 'db') && j + 1 < args.length) {
        const n = parseDbIndex(args[++j]!);
        if (n === null) {
          s.error(Err.notInteger);
          return;
        }
        if (n < 0 || n >= ks.dbs.length) {
          s.error(Err.dbIndexOutOfRange);
          return;
        }
        dstIndex = n;
      } else {
        s.error(Err.syntax);
        return;
      }
    }
    if (s.node.clusterEnabled && (s.dbIndex !== 0 || dstIndex !== 0)) {
      s.error('ERR Copying to another database is not allowed in cluster mode');
      return;
    }
    const key = args[1]!;
    const newKey = args[2]!;
    if (dstIndex === s.dbIndex && key === newKey) {
      s.error('ERR source and destination objects are the same');
      return;
    }
    const value = lookupRead(s, key);
    if (value === undefined) {
      s.out.int(0);
      return;
    }
    const expireAt = s.db.getExpire(key);
    const dst = ks.db(dstIndex);
    if (dst.peek(newKey, ks.nowMs) !== undefined) {
      if (!replace) {
        s.out.int(0);
        return;
      }
      dst.delete(newKey);
    }
    // A copy is a new object: fresh LRU/LFU stamp, as Redis's dup does.
    dst.set(newKey, copyValue(value));
    if (expireAt !== undefined) dst.setExpire(newKey, expireAt);
    s.node.notify('g', 'copy_to', newKey, dstIndex);
    s.out.int(1);
  },
} as const satisfies CommandSpec;
