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
import { appendKeyArgs } from '../spec.js';
import { route, routeError, type RouteQuery, type RoutedCommand } from '../../cluster/routing.js';
import type { Database } from '../../keyspace/database.js';
import { endpointType } from './common.js';

const SHARD_PUBSUB = new Set(['spublish', 'ssubscribe', 'sunsubscribe']);

/** A routing record, filled in place (the gate reuses one for every non-EXEC command). */
interface MutableRouted {
  keys: string[];
  write: boolean;
  shardPubSub: boolean;
  asking: boolean;
  migrate: boolean;
}

/** Refills r with one command's keys and flags; false if the command has no keys. */
function fillRouted(r: MutableRouted, cmd: CompiledCommand, args: readonly string[]): boolean {
  r.keys.length = 0;
  if (!appendKeyArgs(cmd.spec, args, r.keys)) return false;
  const root = cmd.parent ? cmd.parent.spec.name : cmd.spec.name;
  r.write = cmd.write;
  r.shardPubSub = SHARD_PUBSUB.has(root);
  r.asking = cmd.spec.flags.includes('asking');
  r.migrate = root === 'migrate';
  return true;
}

function newRouted(): MutableRouted {
  return { keys: [], write: false, shardPubSub: false, asking: false, migrate: false };
}

/**
 * The routing query of the command being dispatched, reused: the gate runs
 * for every command in cluster mode, and route() is pure and synchronous,
 * so one query (and its keyExists, no closure per command) serves them all.
 */
class GateQuery implements RouteQuery {
  commands: RoutedCommand[] = [];
  clientAsking = false;
  clientReadOnly = false;
  allowReadsWhenDown = false;
  allowPubSubShardWhenDown = false;
  db: Database | null = null;
  nowMs = 0;
  readonly keyExists = (key: string): boolean => this.db!.exists(key, this.nowMs);
}

export function clusterGate(): CommandGate {
  const query = new GateQuery();
  const one = newRouted();
  const single: RoutedCommand[] = [one];
  return (s: Session, cmd: CompiledCommand, args: string[]): string | null => {
    const host = s.node.cluster;
    if (host === null) return null;
    // Our primary's replication stream is never redirected (Redis skips getNodeByQuery for the master client).
    if (s.kindFlags === 'M') return null;
    const root = cmd.parent ? cmd.parent.spec.name : cmd.spec.name;
    const clientAsking = s.asking;
    // ASKING covers one command, or a whole transaction up to its EXEC (Redis's resetClient).
    if (root !== 'asking' && (!s.inMulti || root === 'exec' || root === 'discard')) s.asking = false;

    if (root === 'exec') {
      if (!s.inMulti) return null;
      const commands: RoutedCommand[] = [];
      for (const q of s.multiQueue) {
        const r = newRouted();
        if (fillRouted(r, q.cmd, q.args)) commands.push(r);
      }
      if (commands.length === 0) return null;
      query.commands = commands;
    } else {
      if (!fillRouted(one, cmd, args)) return null;
      query.commands = single;
    }
    const cfg = s.node.config;
    query.clientAsking = clientAsking;
    query.clientReadOnly = s.readOnly;
    query.allowReadsWhenDown = cfg.allowReadsWhenDown();
    query.allowPubSubShardWhenDown = cfg.allowPubSubShardWhenDown();
    query.db = s.node.keyspace.db(0);
    query.nowMs = s.nowMs;
    const result = route(host.core.view, query);
    query.db = null;
    // Most commands run here: the endpoint type (a config read) only matters for a redirect.
    return result.kind === 'local' ? null : routeError(result, endpointType(s));
  };
}
