// CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE id | STABLE: argument checks
// and the key-count rules here (the core does not see the keyspace), the
// state change in the core. Redis 7.0's order of checks and words:
// - a replica refuses everything ("Please use SETSLOT only with masters.");
// - NODE away from this node while it still holds keys of the slot is
//   refused with no change: those keys would become unreachable (nothing
//   routes to a node for a slot it does not own);
// - NODE with no keys left here also closes a MIGRATING state (the
//   migration is over even when the slot is assigned back to this node);
// - a primary that gives away its last slot becomes a replica of the new
//   owner when cluster-allow-replica-migration is yes (Redis 7.0), so an
//   emptied shard keeps serving as a replica instead of idling. Until the
//   core implements CLUSTER REPLICATE it stays an empty primary; SETSLOT
//   itself has succeeded either way, so that refusal is not the reply.
import { ReplyError } from '../../core/errors.js';
import { slotOwnerOf } from '../../cluster/view.js';
import { ADMIN, clusterOf, replyAdmin, slotArg, sub } from './common.js';

const BAD_ACTION = 'ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP';

export const setslot = sub('setslot', -4, ADMIN, 'Bind a hash slot to a specific node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  const view = host.core.view;
  const me = view.nodes.get(view.myId);
  if (me && !me.flags.includes('master')) throw new ReplyError('ERR Please use SETSLOT only with masters.');
  const slot = slotArg(args[2]!);
  const action = args[3]!.toLowerCase();
  if (action === 'stable' && args.length === 4) {
    replyAdmin(s, host, host.core.setSlot(slot, 'stable', null));
    return;
  }
  if ((action === 'migrating' || action === 'importing') && args.length === 5) {
    replyAdmin(s, host, host.core.setSlot(slot, action, args[4]!));
    return;
  }
  if (action === 'node' && args.length === 5) {
    const target = view.nodes.get(args[4]!);
    const keysHere = s.node.keyspace.db(0).slotIndex?.count(slot) ?? 0;
    // Unknown or replica targets get the core's words; only a known primary can reach the key check.
    if (target !== undefined && target.flags.includes('master') && target.id !== view.myId && slotOwnerOf(view, slot)?.id === view.myId && keysHere > 0) {
      throw new ReplyError(`ERR Can't assign hashslot ${slot} to a different node while I still hold keys for this hash slot.`);
    }
    const wasMigrating = view.migrating.has(slot);
    let result = host.core.setSlot(slot, 'node', args[4]!);
    // The core closes MIGRATING only when the slot goes elsewhere; Redis also
    // closes it when the slot is assigned back here with no keys left. After
    // NODE to this node no IMPORTING state remains, so STABLE touches only MIGRATING.
    if (result === null && wasMigrating && keysHere === 0 && host.core.view.migrating.has(slot)) result = host.core.setSlot(slot, 'stable', null);
    const after = host.core.view;
    const slotWasMine = slotOwnerOf(view, slot)?.id === view.myId;
    if (result === null && slotWasMine && target !== undefined && target.id !== view.myId && (after.nodes.get(after.myId)?.slots.length ?? 0) === 0 && s.node.config.getBool('cluster-allow-replica-migration')) {
      host.core.replicate(target.id);
    }
    replyAdmin(s, host, result);
    return;
  }
  throw new ReplyError(BAD_ACTION);
});
