import type { CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseDbIndex } from './db-index.js';

export const move = {
  name: 'move',
  arity: 3,
  flags: ['write', 'fast'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace'],
  summary: 'Move a key to another database',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    if (s.node.clusterEnabled) {
      s.error('ERR MOVE is not allowed in cluster mode');
      return;
    }
    const ks = s.node.keyspace;
    const dstIndex = parseDbIndex(args[2]!);
    if (dstIndex === null) {
      s.error(Err.notInteger);
      return;
    }
    if (dstIndex < 0 || dstIndex >= ks.dbs.length) {
      s.error(Err.dbIndexOutOfRange);
      return;
    }
    if (dstIndex === s.dbIndex) {
      s.error('ERR source and destination objects are the same');
      return;
    }
    const key = args[1]!;
    const src = s.db;
    const value = src.peek(key, ks.nowMs);
    if (value === undefined) {
      s.out.int(0);
      return;
    }
    const dst = ks.db(dstIndex);
    if (dst.peek(key, ks.nowMs) !== undefined) {
      s.out.int(0);
      return;
    }
    const expireAt = src.getExpire(key);
    const meta = src.getMeta(key)!;
    src.delete(key);
    dst.add(key, value, meta);
    if (expireAt !== undefined) dst.setExpire(key, expireAt);
    s.node.notify('g', 'move_from', key, s.dbIndex);
    s.node.notify('g', 'move_to', key, dstIndex);
    s.out.int(1);
  },
} as const satisfies CommandSpec;
