// CLUSTER SET-CONFIG-EPOCH epoch: only on a node that knows no other node.
import { ReplyError, Err } from '../../core/errors.js';
import { parseInt64 } from '../args.js';
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const setConfigEpoch = sub('set-config-epoch', 3, ADMIN, 'Set the configuration epoch in a new node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  const epoch = parseInt64(args[2]!);
  if (epoch === null) throw new ReplyError(Err.notInteger);
  if (epoch < 0n) throw new ReplyError(`ERR Invalid config epoch specified: ${epoch}`);
  replyAdmin(s, host, host.core.setConfigEpoch(Number(epoch)));
});
