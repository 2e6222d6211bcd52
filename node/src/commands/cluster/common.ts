// Helpers shared by the CLUSTER subcommands: reaching cluster mode (or
// refusing as a standalone node does), slot arguments with Redis's error
// words, and a node's CLUSTER NODES line.

import { ReplyError } from '../../core/errors.js';
import type { CommandFlag, CommandRun, CommandSpec } from '../spec.js';
import { NO_KEYS } from '../spec.js';
import type { Session } from '../session.js';
import type { ClusterHost } from './host.js';
import type { ClusterView, NodeView } from '../../cluster/types.js';
import { SLOT_COUNT } from '../../cluster/types.js';
import { parseInteger } from '../args.js';
import { flagsText, rangeText } from '../../cluster/nodes-conf.js';
import type { EndpointType } from '../../cluster/routing.js';

export const CLUSTER_DISABLED = 'ERR This instance has cluster support disabled';

/** The node's cluster side; throws Redis's refusal on a standalone node. */
export function clusterOf(s: Session): ClusterHost {
  const c = s.node.cluster;
  if (c === null) throw new ReplyError(CLUSTER_DISABLED);
  return c;
}

export function sub(name: string, arity: number, flags: readonly CommandFlag[], summary: string, since: string, run: CommandRun, extra: Partial<CommandSpec> = {}): CommandSpec {
  return { name, arity, flags, group: 'cluster', keys: NO_KEYS, summary, since, run, ...extra };
}

/** Flags of the admin subcommands that change the config (Redis 7.0's COMMAND INFO). */
export const ADMIN: readonly CommandFlag[] = ['admin', 'stale', 'no_async_loading'];

/** Redis's getSlotOrReply: an integer in [0, 16383] or "Invalid or out of range slot". */
export function slotArg(text: string): number {
  const n = parseInteger(text);
  if (n === null || n < 0 || n >= SLOT_COUNT) throw new ReplyError('ERR Invalid or out of range slot');
  return n;
}

/** Null from the core is OK; a string is its error reply. */
export function replyAdmin(s: Session, host: ClusterHost, result: string | null): void {
  host.afterAdmin();
  if (result === null) s.out.ok();
  else s.error(result);
}

export function endpointType(s: Session): EndpointType {
  return (s.node.config.get('cluster-preferred-endpoint-type') ?? 'ip') as EndpointType;
}

/** ip:port@cport and ",hostname" when one is announced (CLUSTER NODES, 7.0 form). */
function nodeAddress(n: NodeView): string {
  return `${n.ip}:${n.port}@${n.busPort}${n.hostname !== '' ? ',' + n.hostname : ''}`;
}

/** One CLUSTER NODES line (no newline), as Redis's clusterGenNodeDescription writes it. */
export function nodeLine(view: ClusterView, n: NodeView): string {
  let line = `${n.id} ${nodeAddress(n)} ${flagsText(n.flags)} ${n.primaryId === '' ? '-' : n.primaryId} ${n.pingSentMs} ${n.pongRecvMs} ${n.configEpoch} ${n.linkConnected || n.id === view.myId ? 'connected' : 'disconnected'}`;
  for (const r of n.slots) line += ' ' + rangeText(r);
  if (n.id === view.myId) {
    for (const [slot, to] of [...view.migrating].sort((a, b) => a[0] - b[0])) line += ` [${slot}->-${to}]`;
    for (const [slot, from] of [...view.importing].sort((a, b) => a[0] - b[0])) line += ` [${slot}-<-${from}]`;
  }
  return line;
}

export function isPrimary(n: NodeView): boolean {
  return n.flags.includes('master');
}

export function isFailed(n: NodeView): boolean {
  return n.flags.includes('fail');
}

/** Replicas of a primary, in the view's order. */
export function replicasOf(view: ClusterView, primaryId: string): NodeView[] {
  const out: NodeView[] = [];
  for (const n of view.nodes.values()) if (n.flags.includes('slave') && n.primaryId === primaryId) out.push(n);
  return out;
}
