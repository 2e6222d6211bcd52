// The coordinator's adapter to a running cluster: one plain (non-cluster)
// ioredis connection per node, kept for the whole CLI run, no retries and no
// offline queue (a dead node must fail fast, the caller decides what next).
// Reading the topology asks every node for its own CLUSTER NODES line, since
// a node is the authority on its own slots and open (migrating/importing)
// markers, and the seed for CLUSTER SHARDS zones (tessera's
// availability-zone; redis-server has none, so zones then come from the
// loopback address convention or the local deployment's cluster.json).

import { Redis } from 'ioredis';
import { buildTopology, isParseError, parseNodes, type TopoNode, type Topology } from './topology.js';

export type Reply = string | number | null | Buffer | Reply[];

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export function parseEndpoint(s: string): Endpoint | undefined {
  const i = s.lastIndexOf(':');
  if (i <= 0) return undefined;
  const port = Number(s.slice(i + 1));
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host: s.slice(0, i), port };
}

export const key = (e: Endpoint): string => `${e.host}:${e.port}`;

/** A reply error (MOVED, ASK, BUSYKEY, ERR ...) as a value. */
export class NodeReplyError extends Error {
  override readonly name = 'NodeReplyError';
  /** The first word of the error: ERR, BUSYKEY, MOVED, ... */
  readonly code: string;
  constructor(message: string, readonly endpoint: string) {
    super(message);
    this.code = message.split(' ')[0] ?? '';
  }
}

export class NodeConnection {
  private readonly conn: Redis;
  private connected: Promise<void> | undefined;

  constructor(readonly endpoint: Endpoint, readonly timeoutMs: number) {
    this.conn = new Redis({
      host: endpoint.host, port: endpoint.port, lazyConnect: true, enableOfflineQueue: false,
      maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs, commandTimeout: timeoutMs,
      enableReadyCheck: false,
    });
    this.conn.on('error', () => { /* surfaced through each command's rejection */ });
  }

  private async ready(): Promise<void> {
    if (this.conn.status === 'ready') return;
    if (this.conn.status === 'end' || this.conn.status === 'close') this.connected = undefined;
    this.connected ??= this.conn.connect().catch((e: unknown) => {
      this.connected = undefined;
      throw e;
    });
    await this.connected;
  }

  /** Sends one command; a reply error rejects with NodeReplyError. Strings are decoded as latin1-safe text. */
  async call(...args: (string | number | Buffer)[]): Promise<Reply> {
    await this.ready();
    const [name, ...rest] = args;
    try {
      return (await this.conn.call(String(name), ...rest)) as Reply;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /** Like call, bulk strings as Buffers (keys are bytes). */
  async callBuffer(...args: (string | number | Buffer)[]): Promise<Reply> {
    await this.ready();
    const [name, ...rest] = args;
    try {
      return (await this.conn.callBuffer(String(name), ...rest)) as Reply;
    } catch (e) {
      throw this.wrap(e);
    }
  }

  /**
   * Pipelines commands; each result is a reply or an error (NodeReplyError for
   * a reply error), as values. `buffers`: bulk strings as Buffers (keys are bytes).
   */
  async pipeline(commands: readonly (readonly (string | number | Buffer)[])[], buffers = false): Promise<(Reply | Error)[]> {
    await this.ready();
    const p = this.conn.pipeline();
    for (const [name, ...rest] of commands) {
      if (buffers) p.callBuffer(String(name), ...rest);
      else p.call(String(name), ...rest);
    }
    const res = (await p.exec()) ?? [];
    return res.map(([err, v]) => (err ? this.wrap(err) : (v as Reply)));
  }

  private wrap(e: unknown): Error {
    if (e instanceof Error && e.name === 'ReplyError') return new NodeReplyError(e.message, key(this.endpoint));
    return e instanceof Error ? e : new Error(String(e));
  }

  close(): void {
    this.conn.disconnect();
  }
}

export interface ClusterSnapshot {
  readonly topology: Topology;
  /** node id -> cluster_state as that node reports it (absent: no answer). */
  readonly clusterStates: ReadonlyMap<string, string>;
  /** node id -> CLUSTER INFO fields. */
  readonly clusterInfo: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.indexOf(':');
    if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
  }
  return out;
}

/** node id -> availability-zone from a CLUSTER SHARDS reply (RESP2 flat maps). */
export function zonesFromShards(reply: Reply): Map<string, string> {
  const out = new Map<string, string>();
  if (!Array.isArray(reply)) return out;
  for (const shard of reply) {
    if (!Array.isArray(shard)) continue;
    for (let i = 0; i + 1 < shard.length; i += 2) {
      if (String(shard[i]) !== 'nodes') continue;
      const nodes = shard[i + 1];
      if (!Array.isArray(nodes)) continue;
      for (const n of nodes) {
        if (!Array.isArray(n)) continue;
        let id: string | undefined;
        let zone: string | undefined;
        for (let j = 0; j + 1 < n.length; j += 2) {
          const k = String(n[j]);
          if (k === 'id') id = String(n[j + 1]);
          if (k === 'availability-zone') zone = String(n[j + 1]);
        }
        if (id !== undefined && zone !== undefined && zone !== '') out.set(id, zone);
      }
    }
  }
  return out;
}

/** Migration connections per source node (see migrationLane). */
const MIGRATION_CONNECTIONS = 16;

export class ClusterClient {
  private readonly conns = new Map<string, NodeConnection>();

  constructor(private seeds: Endpoint[], readonly timeoutMs = 3000, private readonly zoneHints: ReadonlyMap<number, string> = new Map()) {}

  node(e: Endpoint): NodeConnection {
    const k = key(e);
    let c = this.conns.get(k);
    if (!c) this.conns.set(k, (c = new NodeConnection(e, this.timeoutMs)));
    return c;
  }

  /**
   * A connection of its own for migration lane `lane` to e (GETKEYSINSLOT and
   * MIGRATE). MIGRATE holds its client until the target answers, so lanes
   * sharing node(e)'s connection would wait for each other's MIGRATEs (on
   * redis-server MIGRATE blocks the whole server anyway; on Tessera only the
   * calling client). At most MIGRATION_CONNECTIONS per node.
   */
  migrationLane(e: Endpoint, lane: number): NodeConnection {
    const k = `${key(e)}#${lane % MIGRATION_CONNECTIONS}`;
    let c = this.conns.get(k);
    if (!c) this.conns.set(k, (c = new NodeConnection(e, this.timeoutMs)));
    return c;
  }

  /** Reads the whole cluster. Tries each seed until one answers; later reads use every known node as a seed. */
  async snapshot(): Promise<ClusterSnapshot> {
    let seedView: TopoNode[] | undefined;
    let seedUsed: Endpoint | undefined;
    let lastErr: unknown;
    for (const s of this.seeds) {
      try {
        const parsed = parseNodes(String(await this.node(s).call('CLUSTER', 'NODES')));
        if (isParseError(parsed)) throw new Error(parsed.error);
        seedView = parsed;
        seedUsed = s;
        break;
      } catch (e) {
        lastErr = e;
      }
    }
    if (!seedView || !seedUsed) throw new Error(`no seed node answered (${this.seeds.map(key).join(', ')}): ${lastErr instanceof Error ? lastErr.message : String(lastErr)}`);
    const own = new Map<string, TopoNode>();
    const states = new Map<string, string>();
    const infos = new Map<string, Map<string, string>>();
    await Promise.all(seedView.filter((n) => !n.handshake && !n.noaddr).map(async (n) => {
      const c = this.node(n);
      try {
        const [nodesText, infoText] = await c.pipeline([['CLUSTER', 'NODES'], ['CLUSTER', 'INFO']]);
        if (nodesText instanceof Error || infoText instanceof Error) return;
        const parsed = parseNodes(String(nodesText));
        if (isParseError(parsed)) return;
        const me = parsed.find((x) => x.myself);
        if (me) own.set(me.id, me);
        const info = parseInfo(String(infoText));
        infos.set(n.id, info);
        states.set(n.id, info.get('cluster_state') ?? '?');
      } catch { /* no answer: left out of states, which health reports */ }
    }));
    let zones = new Map<string, string>();
    try {
      zones = zonesFromShards(await this.node(seedUsed).call('CLUSTER', 'SHARDS'));
    } catch { /* older servers: zones from hints or addresses */ }
    for (const n of seedView) {
      const hint = this.zoneHints.get(n.port);
      if (!zones.has(n.id) && hint !== undefined) zones.set(n.id, hint);
    }
    const topology = buildTopology(seedView, own, zones);
    // Next time, any known node may serve as the seed (the first may have died).
    this.seeds = [seedUsed, ...topology.nodes.filter((n) => n.host !== seedUsed?.host || n.port !== seedUsed?.port)];
    return { topology, clusterStates: states, clusterInfo: infos };
  }

  close(): void {
    for (const c of this.conns.values()) c.close();
    this.conns.clear();
  }
}
