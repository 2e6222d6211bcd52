// Entry point of deploy/local/{up,down,status}.sh: `node
// dist/coordinator/src/local/cli.js up|down|status [options] [-- extra
// server args]`. The shell scripts only find node and this file; all logic
// (placement, processes, forming, health) is here and in cluster.ts, shared
// with the chaos harness.

import net from 'node:net';
import path from 'node:path';
import { rmSync, existsSync } from 'node:fs';
import { LocalCluster, identityDifferences, isRoot, livePid, readState, stateFile, type LocalClusterOptions, type ServerKind } from './cluster.js';
import { formatStatus, statusRows } from './status.js';

const USAGE = `usage: cli.js up|down|status [options] [-- extra server arguments]
  --server tessera|redis     node binary (default tessera)
  --shards N                 primaries (default 3)
  --replicas N               replicas per primary (default 1)
  --zones a,b,c              zone names (default a,b,c); zone i binds 127.0.i.x
  --base-port P              first client port (default 7000); bus port = client port + 10000
  --node-timeout MS          cluster-node-timeout (default 5000)
  --sync-replication         cluster-sync-replication yes (tessera only)
  --appendonly               appendonly yes (default: no persistence except nodes.conf)
  --data-dir DIR             default ./.tessera/cluster
  --zone-users auto|yes|no   run zone z's nodes as user tessera-z<z> (auto: when root)
  --timeout MS               how long up waits for a healthy cluster (default 60000)
  --purge                    down: also delete the data dir
up on a data dir that holds a cluster.json starts that cluster as recorded (bin/tessera scale
and add-replica change the record) and never re-plans it; --shards/--replicas are then ignored,
and a different --server, --base-port or --zones is refused.`;

interface Parsed {
  readonly command: string;
  readonly options: LocalClusterOptions;
  readonly timeoutMs: number;
  readonly purge: boolean;
  readonly explicit: ReadonlySet<string>;
}

function parse(argv: readonly string[]): Parsed {
  const [command, ...rest] = argv;
  if (command === undefined || !['up', 'down', 'status'].includes(command)) throw new UsageError('missing or unknown command');
  const explicit = new Set<string>();
  const v = new Map<string, string>();
  const extra: string[] = [];
  const flags = new Set(['--sync-replication', '--appendonly', '--purge']);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    if (a === '--') {
      extra.push(...rest.slice(i + 1));
      break;
    }
    if (a === '-h' || a === '--help') throw new UsageError('');
    if (flags.has(a)) {
      v.set(a, 'yes');
      explicit.add(a);
      continue;
    }
    const val = rest[i + 1];
    if (!a.startsWith('--') || val === undefined) throw new UsageError(`bad argument ${a}`);
    v.set(a, val);
    explicit.add(a);
    i++;
  }
  const int = (k: string, d: number): number => {
    const s = v.get(k);
    if (s === undefined) return d;
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${k} needs a non-negative integer, got ${s}`);
    return n;
  };
  const server = v.get('--server') ?? 'tessera';
  if (server !== 'tessera' && server !== 'redis') throw new UsageError(`--server must be tessera or redis, got ${server}`);
  const zu = v.get('--zone-users') ?? 'auto';
  if (!['auto', 'yes', 'no'].includes(zu)) throw new UsageError(`--zone-users must be auto, yes or no`);
  const options: LocalClusterOptions = {
    server: server as ServerKind,
    shards: int('--shards', 3),
    replicas: int('--replicas', 1),
    zones: (v.get('--zones') ?? 'a,b,c').split(',').map((z) => z.trim()).filter((z) => z !== ''),
    basePort: int('--base-port', 7000),
    // 5000, not Redis's 15000 (a failover should be seen within seconds on a
    // laptop) nor the chaos suite's 1000 (a laptop under load, a debugger or
    // a GC pause must not cause spurious failovers).
    nodeTimeoutMs: int('--node-timeout', 5000),
    syncReplication: v.has('--sync-replication'),
    appendonly: v.has('--appendonly'),
    dataDir: path.resolve(v.get('--data-dir') ?? './.tessera/cluster'),
    zoneUsers: zu === 'yes' || (zu === 'auto' && isRoot()),
    extraArgs: extra,
  };
  return { command, options, timeoutMs: int('--timeout', 60000), purge: v.has('--purge'), explicit };
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function portBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

function connectHelp(c: LocalCluster): string {
  const first = c.nodes[0];
  if (!first) return '';
  const seeds = c.nodes.filter((n) => n.role === 'primary').slice(0, 3).map((n) => `{ host: '127.0.0.1', port: ${n.port} }`).join(', ');
  return [
    `Connect:`,
    `  redis-cli -c -p ${first.port}                 (every node also listens on 127.0.0.1)`,
    `  redis-cli -c -h ${first.host} -p ${first.port}`,
    `  redis-cli --cluster check 127.0.0.1:${first.port}`,
    `  // ioredis: nodes announce 127.0.<zone>.<n>, which is loopback, so no natMap is needed`,
    `  const cluster = new Redis.Cluster([${seeds}]);`,
    `Data and logs: ${c.options.dataDir}/<port>/ (node.log, node.pid, nodes.conf${c.options.appendonly ? ', appendonly' : ''}); layout in ${stateFile(c.options.dataDir)}`,
    `Status: deploy/local/status.sh --data-dir ${c.options.dataDir}   Stop: deploy/local/down.sh --data-dir ${c.options.dataDir}`,
  ].join('\n');
}

async function up(p: Parsed): Promise<number> {
  const o = p.options;
  const existing = readState(o.dataDir);
  let cluster: LocalCluster;
  const notes: string[] = [];
  if (existing) {
    const differs = identityDifferences(existing.options, o, p.explicit);
    if (differs.length > 0) {
      const running = new LocalCluster(existing).runningNodes().length;
      console.error(`${o.dataDir} holds another cluster (${existing.options.server}, base port ${existing.options.basePort}, zones ${existing.options.zones.join(',')}, ${running} of ${existing.nodes.length} nodes running); asked for ${differs.join(', ')}.`);
      console.error(`Use another --data-dir, or stop and remove that one first: deploy/local/down.sh --data-dir ${o.dataDir} --purge`);
      return 1;
    }
    // The recorded cluster as it is now (tessera scale / add-replica may have changed it), never a re-plan of it.
    const e = existing.options;
    if (p.explicit.has('--shards') && o.shards !== e.shards) {
      notes.push(`Note: this cluster has ${e.shards} shards, not the ${o.shards} asked for: its layout changed after it was created (tessera scale). up.sh starts a recorded cluster as it is and never re-plans it; to change the shard count: bin/tessera scale --shards ${o.shards} --data-dir ${o.dataDir}`);
    }
    if (p.explicit.has('--replicas') && o.replicas !== e.replicas) {
      notes.push(`Note: --replicas ${o.replicas} is ignored for an existing cluster (recorded: ${e.replicas} per shard at creation); change replicas with bin/tessera add-replica / remove-replica --shard I --data-dir ${o.dataDir}`);
    }
    cluster = LocalCluster.reopen(existing, pickExplicit(o, p.explicit));
  } else {
    cluster = LocalCluster.prepare(o);
  }
  for (const n of cluster.nodes) {
    for (const port of [n.port, n.busPort]) {
      if (livePid(n) === undefined && (await portBusy(port))) {
        console.error(`port ${port} (node ${n.port}${port === n.busPort ? ' bus' : ''}) is in use by a process this cluster did not start; choose another --base-port`);
        return 1;
      }
    }
  }
  const before = cluster.runningNodes().length;
  let alreadyRunning: boolean;
  try {
    ({ alreadyRunning } = await cluster.up(p.timeoutMs));
  } catch (e) {
    console.error(`up failed: ${(e as Error).message}`);
    console.error(`Processes started so far are left running for inspection (logs in ${o.dataDir}/<port>/node.log); stop them with deploy/local/down.sh --data-dir ${o.dataDir}`);
    return 1;
  }
  const c = cluster.options;
  const layout = layoutText(cluster);
  if (alreadyRunning) console.log(`Cluster already running: ${c.server}, ${layout}, all healthy; nothing started.`);
  else console.log(`Cluster up: ${c.server}, ${layout}, node timeout ${c.nodeTimeoutMs} ms${c.syncReplication ? ', synchronous replication' : ''} (${cluster.nodes.length - before} processes started${c.zoneUsers ? ', zone users tessera-z<zone>' : ''}).`);
  for (const n of notes) console.log(n);
  console.log(formatStatus(await statusRows(cluster)));
  console.log(connectHelp(cluster));
  return 0;
}

/** "3 shards x 1 replicas over zones a,b,c", or "4 shards, 8 nodes over zones a,b,c" once the coordinator changed the layout. */
function layoutText(c: LocalCluster): string {
  const o = c.options;
  const zones = `over zones ${o.zones.join(',')}`;
  return c.nodes.length === o.shards * (1 + o.replicas) ? `${o.shards} shards x ${o.replicas} replicas ${zones}` : `${o.shards} shards, ${c.nodes.length} nodes ${zones} (layout changed by tessera since creation: bin/tessera describe --data-dir ${o.dataDir})`;
}

function pickExplicit(o: LocalClusterOptions, explicit: ReadonlySet<string>): Partial<LocalClusterOptions> {
  const out: { -readonly [K in keyof LocalClusterOptions]?: LocalClusterOptions[K] } = {};
  if (explicit.has('--node-timeout')) out.nodeTimeoutMs = o.nodeTimeoutMs;
  if (explicit.has('--sync-replication')) out.syncReplication = o.syncReplication;
  if (explicit.has('--appendonly')) out.appendonly = o.appendonly;
  if (explicit.has('--zone-users')) out.zoneUsers = o.zoneUsers;
  if (o.extraArgs.length > 0) out.extraArgs = o.extraArgs;
  return out;
}

async function down(p: Parsed): Promise<number> {
  const state = readState(p.options.dataDir);
  if (!state) {
    console.log(`No cluster recorded in ${p.options.dataDir}; nothing to stop.`);
    return 0;
  }
  const cluster = new LocalCluster(state);
  const running = cluster.runningNodes();
  await cluster.stopAll();
  console.log(running.length === 0 ? 'No node was running.' : `Stopped ${running.length} nodes: ${running.map((n) => n.port).join(' ')}.`);
  if (p.purge && existsSync(stateFile(p.options.dataDir))) {
    rmSync(p.options.dataDir, { recursive: true, force: true });
    console.log(`Removed ${p.options.dataDir}.`);
  }
  return 0;
}

async function status(p: Parsed): Promise<number> {
  const state = readState(p.options.dataDir);
  if (!state) {
    console.log(`No cluster recorded in ${p.options.dataDir}.`);
    return 1;
  }
  const cluster = new LocalCluster(state);
  const o = state.options;
  console.log(`${o.server} cluster, ${layoutText(cluster)}, node timeout ${o.nodeTimeoutMs} ms, data ${o.dataDir}`);
  console.log(formatStatus(await statusRows(cluster)));
  const h = await cluster.health().catch((e: Error) => ({ ok: false as const, reason: e.message }));
  console.log(h.ok ? 'Health: ok (cluster_state ok everywhere, slot views agree, redis-cli --cluster check clean)' : `Health: NOT ok: ${h.reason}`);
  return h.ok ? 0 : 2;
}

async function main(): Promise<number> {
  let p: Parsed;
  try {
    p = parse(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(e.message);
      console.error(USAGE);
      return 64;
    }
    throw e;
  }
  switch (p.command) {
    case 'up': return up(p);
    case 'down': return down(p);
    default: return status(p);
  }
}

main().then((code) => process.exit(code), (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
