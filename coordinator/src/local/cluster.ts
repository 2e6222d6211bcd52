// A cluster of local processes across simulated availability zones: the code
// behind deploy/local/up.sh, down.sh and status.sh, and the chaos harness's
// way to start a cluster (so the chaos suite tests what operators run).
//
// Each node is its own detached process with a pid file in its own directory
// under the data dir; it binds its zone address (127.0.<zone>.<n>) and
// 127.0.0.1 and announces the zone address. When run as root, each zone's
// nodes run as a system user of their own (tessera-z<zone>), so a partition
// can drop a zone's packets by owner (DESIGN.md). The cluster is formed the
// way an operator would: `redis-cli --cluster create` with the primaries
// only, then CLUSTER MEET + CLUSTER REPLICATE to put each replica under a
// primary in another zone (redis-cli's own replica assignment does not know
// zones). cluster.json in the data dir records what was started, so down and
// status need nothing but the data dir.

import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync, chownSync, chmodSync, rmSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planCluster, type PlannedNode } from '../planner.js';
import { clusterCheck, clusterInfo, clusterNodes, nodeCommand, nodeInfo, redisCli, type Endpoint } from './admin.js';
import { eventually } from './eventually.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Repository root (dist/coordinator/src/local -> ../../../..). */
export const REPO_ROOT = path.resolve(here, '../../../..');
export const TESSERA_BIN = path.join(REPO_ROOT, 'bin/tessera-server');

export type ServerKind = 'tessera' | 'redis';

export interface LocalClusterOptions {
  readonly server: ServerKind;
  readonly shards: number;
  readonly replicas: number;
  readonly zones: readonly string[];
  readonly basePort: number;
  readonly nodeTimeoutMs: number;
  /** cluster-sync-replication yes (tessera only). */
  readonly syncReplication: boolean;
  /** Absolute path. */
  readonly dataDir: string;
  /** Run each zone's nodes as system user tessera-z<zone>; needs root. */
  readonly zoneUsers: boolean;
  /** appendonly yes (the default is a cache: no persistence but nodes.conf). */
  readonly appendonly: boolean;
  /** Extra `--directive value` arguments for every node. */
  readonly extraArgs: readonly string[];
}

export interface NodeRecord extends PlannedNode {
  readonly dir: string;
  readonly pidFile: string;
  readonly logFile: string;
  /** System user the node runs as, when zoneUsers. */
  readonly user?: string;
  readonly uid?: number;
  readonly gid?: number;
}

export interface ClusterState {
  readonly options: LocalClusterOptions;
  readonly nodes: readonly NodeRecord[];
  readonly createdAt: string;
}

export function stateFile(dataDir: string): string {
  return path.join(dataDir, 'cluster.json');
}

export function readState(dataDir: string): ClusterState | undefined {
  const f = stateFile(dataDir);
  if (!existsSync(f)) return undefined;
  return JSON.parse(readFileSync(f, 'utf8')) as ClusterState;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function zoneUser(zone: string): string {
  return `tessera-z${zone}`;
}

/** Creates the system user if it does not exist (idempotent); returns uid and gid. */
export function ensureZoneUser(name: string): { uid: number; gid: number } {
  const lookup = (): { uid: number; gid: number } | undefined => {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
      const gid = Number(execFileSync('id', ['-g', name], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim());
      return { uid, gid };
    } catch {
      return undefined;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', name], { stdio: 'inherit' });
  const made = lookup();
  if (!made) throw new Error(`could not create system user ${name}`);
  return made;
}

/** Reads a pid file; undefined when missing or garbage. */
export function readPid(pidFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when pid is alive and is our node: its working directory is the node
 * directory (we spawn it there and --dir keeps it there), so a recycled pid
 * of an unrelated process is never signalled. The command line cannot be
 * used: redis-server rewrites its process title.
 */
export function isOurProcess(pid: number, node: NodeRecord): boolean {
  try {
    if (readlinkSync(`/proc/${pid}/cwd`) !== node.dir) return false;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The field after "(comm)" is the state; Z means exited but not reaped.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z';
  } catch {
    return false;
  }
}

export function livePid(node: NodeRecord): number | undefined {
  const pid = readPid(node.pidFile);
  return pid !== undefined && isOurProcess(pid, node) ? pid : undefined;
}

export function nodeArgs(node: NodeRecord, o: LocalClusterOptions): string[] {
  const args = [
    '--port', String(node.port),
    '--bind', node.host, '127.0.0.1',
    '--dir', node.dir,
    '--cluster-enabled', 'yes',
    '--cluster-config-file', 'nodes.conf',
    '--cluster-node-timeout', String(o.nodeTimeoutMs),
    '--cluster-announce-ip', node.host,
    '--appendonly', o.appendonly ? 'yes' : 'no',
    '--save', '',
    // A replica (re)joining should sync at once, not after the 5 s default wait for more replicas.
    '--repl-diskless-sync-delay', '0',
    '--daemonize', 'no',
    '--logfile', '',
  ];
  if (o.server === 'tessera') {
    // redis-server rejects unknown directives, so zone and sync mode are tessera-only.
    args.push('--availability-zone', node.zone);
    if (o.syncReplication) args.push('--cluster-sync-replication', 'yes');
  }
  args.push(...o.extraArgs);
  return args;
}

function binaryFor(server: ServerKind): string {
  return server === 'redis' ? 'redis-server' : TESSERA_BIN;
}

export interface UpResult {
  readonly state: ClusterState;
  readonly alreadyRunning: boolean;
}

export class LocalCluster {
  constructor(readonly state: ClusterState) {}

  get options(): LocalClusterOptions {
    return this.state.options;
  }

  get nodes(): readonly NodeRecord[] {
    return this.state.nodes;
  }

  endpoint(node: NodeRecord): Endpoint {
    return { host: '127.0.0.1', port: node.port };
  }

  node(port: number): NodeRecord {
    const n = this.nodes.find((x) => x.port === port);
    if (!n) throw new Error(`no node with port ${port}`);
    return n;
  }

  /** Prepares directories, users and cluster.json; starts nothing. */
  static prepare(o: LocalClusterOptions): LocalCluster {
    if (o.server === 'redis' && o.syncReplication) throw new Error('--sync-replication is a tessera feature; redis-server has no equivalent');
    if (o.zoneUsers && !isRoot()) throw new Error('zone users need root (they let a partition drop packets by owner)');
    const plan = planCluster({ shards: o.shards, replicas: o.replicas, zones: o.zones, basePort: o.basePort });
    mkdirSync(o.dataDir, { recursive: true });
    // Zone users must traverse the data dir to reach their node directory.
    if (o.zoneUsers) chmodSync(o.dataDir, 0o755);
    const users = new Map<string, { uid: number; gid: number }>();
    const nodes: NodeRecord[] = plan.nodes.map((p) => {
      const dir = path.join(o.dataDir, String(p.port));
      mkdirSync(dir, { recursive: true });
      let owner: { user: string; uid: number; gid: number } | undefined;
      if (o.zoneUsers) {
        const user = zoneUser(p.zone);
        let ids = users.get(user);
        if (!ids) users.set(user, (ids = ensureZoneUser(user)));
        chownSync(dir, ids.uid, ids.gid);
        owner = { user, ...ids };
      }
      return { ...p, dir, pidFile: path.join(dir, 'node.pid'), logFile: path.join(dir, 'node.log'), ...(owner ?? {}) };
    });
    const state: ClusterState = { options: o, nodes, createdAt: new Date().toISOString() };
    writeFileSync(stateFile(o.dataDir), JSON.stringify(state, null, 2) + '\n');
    return new LocalCluster(state);
  }

  /**
   * The cluster recorded in cluster.json, as it is now: nodes that `tessera
   * scale` or `add-replica` added or removed stay as recorded, and nothing is
   * re-planned (a plan from the options would give existing ports other
   * roles, zones and addresses). `overrides` (node timeout, extra arguments,
   * ...) apply from the next start of each node and are saved.
   */
  static reopen(recorded: ClusterState, overrides: Partial<LocalClusterOptions> = {}): LocalCluster {
    const o = { ...recorded.options, ...overrides };
    for (const n of recorded.nodes) {
      // The node cannot start without its directory (deleted by hand?); it then starts with no nodes.conf.
      mkdirSync(n.dir, { recursive: true });
      if (n.uid !== undefined && n.gid !== undefined) chownSync(n.dir, n.uid, n.gid);
    }
    const state: ClusterState = { ...recorded, options: o };
    writeFileSync(stateFile(o.dataDir), JSON.stringify(state, null, 2) + '\n');
    return new LocalCluster(state);
  }

  /** Starts one node (detached, pid file written); no-op if it already runs. Returns its pid. */
  startNode(node: NodeRecord): number {
    const running = livePid(node);
    if (running !== undefined) return running;
    const log = openSync(node.logFile, 'a');
    if (node.uid !== undefined && node.gid !== undefined) chownSync(node.logFile, node.uid, node.gid);
    try {
      const child = spawn(binaryFor(this.options.server), nodeArgs(node, this.options), {
        cwd: node.dir,
        detached: true,
        stdio: ['ignore', log, log],
        ...(node.uid !== undefined && node.gid !== undefined ? { uid: node.uid, gid: node.gid } : {}),
      });
      if (child.pid === undefined) throw new Error(`could not start node ${node.port}`);
      child.unref();
      writeFileSync(node.pidFile, `${child.pid}\n`);
      return child.pid;
    } finally {
      closeSync(log);
    }
  }

  /** Sends a signal to the node's process by its pid file; false when it is not running. */
  signal(node: NodeRecord, sig: NodeJS.Signals): boolean {
    const pid = livePid(node);
    if (pid === undefined) return false;
    process.kill(pid, sig);
    return true;
  }

  /** SIGTERM (SIGCONT first, a stopped process cannot exit), then SIGKILL after graceMs. */
  async stopNode(node: NodeRecord, graceMs = 5000): Promise<void> {
    const pid = livePid(node);
    if (pid === undefined) {
      rmSync(node.pidFile, { force: true });
      return;
    }
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGTERM');
    } catch { /* exited meanwhile */ }
    try {
      await eventually(() => !isOurProcess(pid, node), { timeoutMs: graceMs, intervalMs: 50, what: `node ${node.port} to exit` });
    } catch {
      try { process.kill(pid, 'SIGKILL'); } catch { /* exited meanwhile */ }
      await eventually(() => !isOurProcess(pid, node), { timeoutMs: 5000, intervalMs: 50, what: `node ${node.port} to die` });
    }
    rmSync(node.pidFile, { force: true });
  }

  async stopAll(graceMs = 5000): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.stopNode(n, graceMs)));
  }

  runningNodes(): NodeRecord[] {
    return this.nodes.filter((n) => livePid(n) !== undefined);
  }

  async waitListening(node: NodeRecord, timeoutMs = 15000): Promise<void> {
    await eventually(async () => (await nodeCommand(this.endpoint(node), ['PING'], 1000)) === 'PONG', {
      timeoutMs, intervalMs: 50, what: `node ${node.port} to answer PING (log: ${node.logFile})`,
    });
  }

  /** True when the nodes already form a cluster (every node knows the others and slots are assigned). */
  async isFormed(): Promise<boolean> {
    try {
      const info = await clusterInfo(this.endpoint(this.nodes[0] as NodeRecord), 1000);
      return info.get('cluster_slots_assigned') === '16384' && Number(info.get('cluster_known_nodes')) === this.nodes.length;
    } catch {
      return false;
    }
  }

  /** Creates the cluster: primaries with redis-cli, then replicas by MEET + REPLICATE to their planned primary. */
  async form(timeoutMs = 60000): Promise<void> {
    const primaries = this.nodes.filter((n) => n.role === 'primary');
    const replicas = this.nodes.filter((n) => n.role === 'replica');
    const first = primaries[0];
    if (!first) throw new Error('no primaries');
    if (primaries.length === 1) {
      // redis-cli --cluster create needs 3 masters; a single shard gets its slots directly.
      await nodeCommand(this.endpoint(first), ['CLUSTER', 'ADDSLOTSRANGE', 0, 16383]);
    } else {
      const r = await redisCli(['--cluster', 'create', ...primaries.map((p) => `${p.host}:${p.port}`), '--cluster-replicas', '0', '--cluster-yes'], timeoutMs);
      if (r.code !== 0 || !r.stdout.includes('[OK] All 16384 slots covered')) {
        throw new Error(`redis-cli --cluster create failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
      }
    }
    for (const r of replicas) await nodeCommand(this.endpoint(r), ['CLUSTER', 'MEET', first.host, first.port]);
    const ids = new Map<number, string>();
    for (const n of this.nodes) ids.set(n.port, String(await nodeCommand(this.endpoint(n), ['CLUSTER', 'MYID'])));
    // REPLICATE needs the primary to be known to the replica; MEET propagates by gossip.
    await eventually(async () => {
      for (const n of this.nodes) {
        const known = await clusterNodes(this.endpoint(n), 1000);
        if (known.length < this.nodes.length) return false;
      }
      return true;
    }, { timeoutMs, what: 'every node to know every other node' });
    for (const r of replicas) {
      const primary = this.nodes[r.primaryIndex ?? -1];
      const pid = primary ? ids.get(primary.port) : undefined;
      if (!pid) throw new Error(`internal: replica ${r.port} has no planned primary`);
      await eventually(async () => (await nodeCommand(this.endpoint(r), ['CLUSTER', 'REPLICATE', pid])) === 'OK', {
        timeoutMs: 10000, what: `CLUSTER REPLICATE on ${r.port}`,
      });
    }
  }

  /**
   * Healthy: every running node says cluster_state:ok and agrees on the slot
   * owners, every replica's link to its primary is up, and `redis-cli
   * --cluster check` is clean. Returns the reason when not.
   */
  async health(): Promise<{ ok: true } | { ok: false; reason: string }> {
    const running = this.nodes;
    const views: string[] = [];
    for (const n of running) {
      let info: Map<string, string>;
      try {
        info = await clusterInfo(this.endpoint(n), 1000);
      } catch (e) {
        return { ok: false, reason: `${n.port}: ${(e as Error).message}` };
      }
      if (info.get('cluster_state') !== 'ok') return { ok: false, reason: `${n.port}: cluster_state ${info.get('cluster_state')}` };
      const nodes = await clusterNodes(this.endpoint(n), 1000);
      if (nodes.some((x) => x.failing)) return { ok: false, reason: `${n.port} still flags a node failing` };
      views.push(nodes.filter((x) => x.role === 'primary' && x.slots.length > 0).map((x) => `${x.addr}=${JSON.stringify(x.slots)}`).sort().join(' '));
      const me = nodes.find((x) => x.myself);
      if (me?.role === 'replica') {
        const repl = await nodeInfo(this.endpoint(n), 'replication', 1000);
        if (repl.get('master_link_status') !== 'up') return { ok: false, reason: `${n.port}: master_link_status ${repl.get('master_link_status')}` };
      }
    }
    if (new Set(views).size > 1) return { ok: false, reason: 'nodes disagree on slot owners' };
    const first = running[0];
    if (!first) return { ok: false, reason: 'no nodes' };
    const check = await clusterCheck(this.endpoint(first));
    if (!check.clean) return { ok: false, reason: `redis-cli --cluster check:\n${check.output}` };
    return { ok: true };
  }

  async waitHealthy(timeoutMs = 60000): Promise<void> {
    let last = '';
    await eventually(async () => {
      const h = await this.health();
      if (!h.ok) last = h.reason;
      return h.ok;
    }, { timeoutMs, intervalMs: 200, what: 'a healthy cluster' }).catch((e: Error) => {
      throw new Error(`${e.message}; last reason: ${last}`);
    });
  }

  /** Starts every node, forms the cluster if needed and waits until healthy. Idempotent. */
  async up(timeoutMs = 60000): Promise<{ alreadyRunning: boolean }> {
    const wasRunning = this.runningNodes().length === this.nodes.length;
    for (const n of this.nodes) this.startNode(n);
    await Promise.all(this.nodes.map((n) => this.waitListening(n)));
    const formed = await this.isFormed();
    if (!formed) await this.form(timeoutMs);
    await this.waitHealthy(timeoutMs);
    return { alreadyRunning: wasRunning && formed };
  }
}

/**
 * Options that make a data dir a different cluster (not one that was scaled):
 * the binary, the port block and the zones. Only those given on the command
 * line are compared; an omitted one means "as recorded". Empty when none differ.
 */
export function identityDifferences(recorded: LocalClusterOptions, asked: LocalClusterOptions, explicit: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (explicit.has('--server') && recorded.server !== asked.server) out.push(`--server ${asked.server} (recorded: ${recorded.server})`);
  if (explicit.has('--base-port') && recorded.basePort !== asked.basePort) out.push(`--base-port ${asked.basePort} (recorded: ${recorded.basePort})`);
  if (explicit.has('--zones') && recorded.zones.join(',') !== asked.zones.join(',')) out.push(`--zones ${asked.zones.join(',')} (recorded: ${recorded.zones.join(',')})`);
  return out;
}
