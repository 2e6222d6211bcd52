// CLUSTER COUNTKEYSINSLOT slot: from the per-slot key index, O(1).
import { ReplyError, Err } from '../../core/errors.js';
import { parseInt64 } from '../args.js';
import { SLOT_COUNT } from '../../cluster/types.js';
import { clusterOf, sub } from './common.js';

export const countkeysinslot = sub('countkeysinslot', 3, ['stale'], 'Return the number of local keys in the specified hash slot', '3.0.0', (s, args) => {
  clusterOf(s);
  const n = parseInt64(args[2]!);
  if (n === null) throw new ReplyError(Err.notInteger);
  if (n < 0n || n >= BigInt(SLOT_COUNT)) throw new ReplyError('ERR Invalid slot');
  s.out.int(s.node.keyspace.db(0).slotIndex?.count(Number(n)) ?? 0);
});
