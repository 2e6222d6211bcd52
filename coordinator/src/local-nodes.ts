// The coordinator's use of the local deployment (coordinator/src/local/*,
// the code behind deploy/local/*.sh): when a cluster.json is found in the
// data dir, the coordinator knows which processes it may start and stop (pid
// files), the flags the existing nodes run with, and each node's zone.
// Nodes added by scale/add-replica are appended to the same cluster.json, so
// deploy/local/down.sh and status.sh see them; removed nodes are dropped
// from it once stopped.

import { chownSync, mkdirSync, writeFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { ensureZoneUser, LocalCluster, readState, stateFile, zoneUser, type ClusterState, type NodeRecord } from './local/cluster.js';
import type { PlacedNode } from './reshard-plan.js';

export class LocalDeployment {
  private constructor(public state: ClusterState) {}

  static open(dataDir: string): LocalDeployment | undefined {
    const s = readState(dataDir);
    return s ? new LocalDeployment(s) : undefined;
  }

  get dataDir(): string {
    return this.state.options.dataDir;
  }

  get cluster(): LocalCluster {
    return new LocalCluster(this.state);
  }

  zoneHints(): Map<number, string> {
    return new Map(this.state.nodes.map((n) => [n.port, n.zone]));
  }

  byPort(port: number): NodeRecord | undefined {
    return this.state.nodes.find((n) => n.port === port);
  }

  /** Records new nodes (directories, pid/log paths, zone users) in cluster.json; starts nothing. */
  addNodes(placed: readonly (PlacedNode & { shard: number; primaryPort?: number })[]): NodeRecord[] {
    const o = this.state.options;
    const added: NodeRecord[] = [];
    for (const p of placed) {
      const index = p.port - o.basePort;
      if (index < 0 || index + 1 > 254) throw new Error(`port ${p.port} does not fit the 127.0.z.1-254 address scheme from base port ${o.basePort}`);
      const dir = path.join(o.dataDir, String(p.port));
      // A fresh node: a nodes.conf left by an earlier node on this port would bring back its identity and its peers.
      rmSync(dir, { recursive: true, force: true });
      mkdirSync(dir, { recursive: true });
      let owner: { user: string; uid: number; gid: number } | undefined;
      if (o.zoneUsers) {
        const user = zoneUser(p.zone);
        const ids = ensureZoneUser(user);
        chownSync(dir, ids.uid, ids.gid);
        owner = { user, ...ids };
      }
      const primaryIndex = p.primaryPort === undefined ? undefined : p.primaryPort - o.basePort;
      added.push({
        index, port: p.port, busPort: p.port + 10000, zone: p.zone, zoneNumber: p.zoneNumber,
        host: `127.0.${p.zoneNumber}.${index + 1}`, shard: p.shard, role: p.role,
        ...(primaryIndex === undefined ? {} : { primaryIndex }),
        dir, pidFile: path.join(dir, 'node.pid'), logFile: path.join(dir, 'node.log'), ...(owner ?? {}),
      });
    }
    this.save({ ...this.state, nodes: [...this.state.nodes, ...added] });
    return added;
  }

  /** Drops stopped nodes from cluster.json and deletes their directories (their slots are gone; their nodes.conf must not come back). */
  removeNodes(ports: ReadonlySet<number>): void {
    for (const n of this.state.nodes) if (ports.has(n.port)) rmSync(n.dir, { recursive: true, force: true });
    this.save({ ...this.state, nodes: this.state.nodes.filter((n) => !ports.has(n.port)) });
  }

  /** Keeps options.shards equal to the primaries recorded, so up.sh refuses a mismatched layout rather than re-planning over it. */
  setShards(shards: number): void {
    this.save({ ...this.state, options: { ...this.state.options, shards } });
  }

  private save(s: ClusterState): void {
    const f = stateFile(this.dataDir);
    writeFileSync(`${f}.tmp`, JSON.stringify(s, null, 2) + '\n');
    renameSync(`${f}.tmp`, f);
    this.state = s;
  }
}
