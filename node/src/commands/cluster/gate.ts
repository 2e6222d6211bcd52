// The dispatcher gate of cluster mode: turns a command (or, for EXEC, the
// queued transaction) into the routing query, asks the pure route() and
// writes its refusal in Redis's words. Installed only when cluster-enabled.
//
// MULTI: as in redis-server 7.0, each command is checked alone when it is
// queued (a MOVED there flags the transaction, so EXEC answers EXECABORT),
// and EXEC checks the whole queue: a transaction spanning slots gets a bare
// CROSSSLOT for its EXEC and is discarded (the dispatcher does not reword
// gate refusals of EXEC).

import type { CommandGate } from '../dispatch.js';
import type { CompiledCommand } from '../registry.js';
import type { Session } from '../session.js';
import { keyIndices } from '../spec.js';
import { route, routeError, type RoutedCommand } from '../../cluster/routing.js';
import { endpointType } from './common.js';

const SHARD_PUBSUB = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);

function routed(cmd: CompiledCommand, args: readonly string[]): RoutedCommand | null {
  const idx = keyIndices(cmd.spec, args);
  if (idx.length === 0) return null;
  const root = cmd.parent ? cmd.parent.spec.name : cmd.spec.name;
  return {
    keys: idx.map((i) => args[i]!),
    write: cmd.write,
    shardPubSub: SHARD_PUBSUB.has(root),
    asking: cmd.spec.flags.includes('asking'),
    migrate: root === 'migrate',
  };
}

export function clusterGate(): CommandGate {
  return (s: Session, cmd: CompiledCommand, args: string[]): string | null => {
    const host = s.node.cluster;
    if (host === null) return null;
    // Our primary's replication stream is never redirected (Redis skips getNodeByQuery for the master client).
    if (s.kindFlags === 'M') return null;
    const root = cmd.parent ? cmd.parent.spec.name : cmd.spec.name;
    const clientAsking = s.asking;
    // ASKING covers one command, or a whole transaction up to its EXEC (Redis's resetClient).
    if (root !== 'asking' && (!s.inMulti || root === 'exec' || root === 'discard')) s.asking = false;

    const commands: RoutedCommand[] = [];
    if (root === 'exec') {
      if (!s.inMulti) return null;
      for (const q of s.multiQueue) {
        const r = routed(q.cmd, q.args);
        if (r) commands.push(r);
      }
    } else {
      const r = routed(cmd, args);
      if (r === null) return null;
      commands.push(r);
    }
    if (commands.length === 0) return null;
    const cfg = s.node.config;
    const db = s.node.keyspace.db(0);
    const result = route(host.core.view, {
      commands,
      clientAsking,
      clientReadOnly: s.readOnly,
      keyExists: (key) => db.exists(key, s.nowMs),
      allowReadsWhenDown: cfg.allowReadsWhenDown(),
      allowPubSubShardWhenDown: cfg.allowPubSubShardWhenDown(),
    });
    // Most commands run here: the endpoint type (a config read) only matters for a redirect.
    return result.kind === 'local' ? null : routeError(result, endpointType(s));
  };
}
