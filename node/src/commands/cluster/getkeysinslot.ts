// CLUSTER GETKEYSINSLOT slot count: from the per-slot key index.
import { ReplyError, Err } from '../../core/errors.js';
import { parseInt64 } from '../args.js';
import { SLOT_COUNT } from '../../cluster/types.js';
import { clusterOf, sub } from './common.js';

export const getkeysinslot = sub('getkeysinslot', 4, ['stale'], 'Return local key names in the specified hash slot', '3.0.0', (s, args) => {
  clusterOf(s);
  const slot = parseInt64(args[2]!);
  const max = parseInt64(args[3]!);
  if (slot === null || max === null) throw new ReplyError(Err.notInteger);
  if (slot < 0n || slot >= BigInt(SLOT_COUNT) || max < 0n) throw new ReplyError('ERR Invalid slot or number of keys');
  const keys = s.node.keyspace.db(0).keysInSlot(Number(slot), max > 1_000_000_000n ? 1_000_000_000 : Number(max));
  s.out.bulks(keys);
}, { tips: ['nondeterministic_output'] });
