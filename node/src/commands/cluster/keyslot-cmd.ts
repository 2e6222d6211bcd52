// CLUSTER KEYSLOT key.
import { keySlot } from '../../cluster/keyslot.js';
import { clusterOf, sub } from './common.js';

export const keyslot = sub('keyslot', 3, ['stale'], 'Returns the hash slot of the specified key', '3.0.0', (s, args) => {
  clusterOf(s);
  s.out.int(keySlot(args[2]!));
});
