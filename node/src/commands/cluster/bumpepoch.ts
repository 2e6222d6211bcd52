// CLUSTER BUMPEPOCH: "BUMPED n" or "STILL n" as a status reply.
import { ADMIN, clusterOf, sub } from './common.js';

export const bumpepoch = sub('bumpepoch', 2, ADMIN, 'Advance the cluster config epoch', '3.0.0', (s) => {
  const host = clusterOf(s);
  const r = host.core.bumpEpoch();
  host.afterAdmin();
  s.out.simple(`${r.bumped ? 'BUMPED' : 'STILL'} ${r.epoch}`);
});
