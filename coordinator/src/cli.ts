// `tessera`: the coordinator's command line (bin/tessera). It parses
// arguments, finds the cluster (a seed --node, or the local deployment's
// cluster.json in --data-dir, default ./.tessera/cluster) and hands over to
// one subcommand. Exit codes: 0 done, 1 failure, 2 refused (cluster not
// healthy, or the plan breaks a rule), 3 stopped part-way (resumable),
// 64 usage.

import path from 'node:path';
import { existsSync, rmSync } from 'node:fs';
import { ClusterClient, parseEndpoint, type Endpoint } from './client.js';
import type { Ctx } from './context.js';
import { describe, describeCluster, formatDescription } from './describe.js';
import { LocalDeployment } from './local-nodes.js';
import { LocalCluster, isRoot, readState, stateFile, type LocalClusterOptions, type ServerKind } from './local/cluster.js';
import { PlanError } from './planner.js';
import { addReplica, removeReplica, testFailover } from './operations.js';
import { scale } from './scale.js';

const USAGE = `usage: tessera <command> [options]

Commands:
  describe                         shards, primaries/replicas, zones, slots, keys, memory, links, replication lag
  scale --shards N                 add or remove shards online (slot migration), AZ-aware placement of new nodes
  scale --remove host:port,...     scale in by removing these primaries' shards (default: the highest ports)
  reshard [--resume|--abandon]     rebalance slots over the current primaries; --resume continues a stopped run
  create-cluster                   start a local cluster across zones and form it (same logic as deploy/local/up.sh)
  test-failover --shard I          --mode graceful (CLUSTER FAILOVER on the best replica in another zone) | kill (SIGKILL the primary)
  add-replica --shard I            start (or --add host:port) a replica in another zone than the primary
  remove-replica --shard I         forget and stop one replica (--node-to-remove host:port to choose)
  destroy                          stop every process of the local deployment (pid files); --purge deletes the data dir

Finding the cluster:
  --node host:port[,host:port]     seed node(s); default: the nodes recorded in --data-dir
  --data-dir DIR                   local deployment (cluster.json, pid files); default ./.tessera/cluster
  --json                           describe: machine-readable output

scale / reshard:
  --shards N  --dry-run  --add host:port,...  --replicas R  --keep-replicas
  --batch KEYS (default 100)  --pipeline N (MIGRATE batches per round trip, default 4)
  --parallel N (lanes: slot groups migrated at once per source node, default 32)
  --group N (slots a lane moves together, one pipeline per protocol step, default 4)
  --state-file FILE (default DATA_DIR/reshard.json, or ./.tessera/reshard-<seed>.json without a deployment)
  --prefer keys|ranges   which surplus slots move: the emptiest (fewest keys, default) or the top of each range (contiguous)
  --stop-after-slots N   stop cleanly after N slots (a resumable interruption, for tests)
  --remove host:port,... scale in: the primaries whose shards go (--shards defaults to the shards left)
  --verbose              one line per slot as it starts and ends moving (with a millisecond timestamp)

create-cluster:
  --shards N (3)  --replicas R (1)  --zones a,b,c  --base-port P (7000)  --node-timeout MS (5000)
  --sync-replication  --server tessera|redis (default $TESSERA_SERVER or tessera)  --timeout MS (60000)

test-failover:
  --shard I  --mode graceful|kill (graceful)  --no-restart (kill: leave the old primary down)  --timeout MS (30000)`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const BOOLEAN = new Set(['--json', '--dry-run', '--keep-replicas', '--resume', '--abandon', '--sync-replication', '--purge', '--no-restart', '--appendonly', '--verbose']);

interface Args {
  readonly command: string;
  readonly flags: Map<string, string>;
}

function parseArgs(argv: readonly string[]): Args {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') throw new UsageError('');
  const flags = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    let a = rest[i] ?? '';
    if (!a.startsWith('--')) throw new UsageError(`unexpected argument ${a}`);
    let value: string | undefined;
    const eq = a.indexOf('=');
    if (eq > 0) {
      value = a.slice(eq + 1);
      a = a.slice(0, eq);
    }
    if (BOOLEAN.has(a)) {
      flags.set(a, value ?? 'yes');
      continue;
    }
    if (value === undefined) {
      value = rest[++i];
      if (value === undefined) throw new UsageError(`${a} needs a value`);
    }
    flags.set(a, value);
  }
  return { command, flags };
}

function int(f: Map<string, string>, k: string, d: number): number;
function int(f: Map<string, string>, k: string, d: undefined): number | undefined;
function int(f: Map<string, string>, k: string, d: number | undefined): number | undefined {
  const s = f.get(k);
  if (s === undefined) return d;
  const n = Number(s);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${k} needs a non-negative integer, got ${s}`);
  return n;
}

function endpoints(s: string | undefined): Endpoint[] {
  if (s === undefined || s === '') return [];
  return s.split(',').map((x) => {
    const e = parseEndpoint(x.trim());
    if (!e) throw new UsageError(`bad host:port ${x}`);
    return e;
  });
}

function prefer(s: string | undefined): 'keys' | 'ranges' {
  if (s === undefined || s === 'keys') return 'keys';
  if (s === 'ranges') return 'ranges';
  throw new UsageError('--prefer must be keys or ranges');
}

function makeCtx(f: Map<string, string>): Ctx {
  const dataDir = path.resolve(f.get('--data-dir') ?? './.tessera/cluster');
  const local = LocalDeployment.open(dataDir);
  let seeds = endpoints(f.get('--node'));
  if (seeds.length === 0 && local) seeds = local.state.nodes.map((n) => ({ host: n.host, port: n.port }));
  if (seeds.length === 0) throw new UsageError(`no cluster: give --node host:port, or create one (no cluster.json in ${dataDir})`);
  const first = seeds[0] as Endpoint;
  const sf = f.get('--state-file') ?? (local ? path.join(dataDir, 'reshard.json') : path.resolve(`.tessera/reshard-${first.host}-${first.port}.json`));
  return {
    client: new ClusterClient(seeds, 5000, local?.zoneHints() ?? new Map()),
    local, stateFile: sf, json: f.has('--json'),
    out: (l) => console.log(l),
    err: (l) => console.error(l),
  };
}

async function createCluster(f: Map<string, string>): Promise<number> {
  const dataDir = path.resolve(f.get('--data-dir') ?? './.tessera/cluster');
  const server = f.get('--server') ?? process.env['TESSERA_SERVER'] ?? 'tessera';
  if (server !== 'tessera' && server !== 'redis') throw new UsageError(`--server must be tessera or redis`);
  const existing = readState(dataDir);
  if (existing && new LocalCluster(existing).runningNodes().length > 0) {
    console.error(`${dataDir} already holds a running cluster; 'tessera destroy --data-dir ${dataDir}' first`);
    return 2;
  }
  const zu = f.get('--zone-users') ?? 'no';
  const o: LocalClusterOptions = {
    server: server as ServerKind,
    shards: int(f, '--shards', 3), replicas: int(f, '--replicas', 1),
    zones: (f.get('--zones') ?? 'a,b,c').split(',').map((z) => z.trim()).filter((z) => z !== ''),
    basePort: int(f, '--base-port', 7000), nodeTimeoutMs: int(f, '--node-timeout', 5000),
    syncReplication: f.has('--sync-replication'), appendonly: f.has('--appendonly'), dataDir,
    zoneUsers: zu === 'yes' || (zu === 'auto' && isRoot()), extraArgs: [],
  };
  let cluster: LocalCluster;
  try {
    cluster = LocalCluster.prepare(o);
  } catch (e) {
    if (e instanceof PlanError) {
      console.error(`Refusing: ${e.message}`);
      return 2;
    }
    throw e;
  }
  console.log(`Creating ${o.server} cluster: ${o.shards} shards x ${o.replicas} replicas over zones ${o.zones.join(',')}, ports ${o.basePort}-${o.basePort + cluster.nodes.length - 1}`);
  for (const n of cluster.nodes) console.log(`  ${n.host}:${n.port} zone ${n.zone} ${n.role} of shard ${n.shard}`);
  try {
    await cluster.up(int(f, '--timeout', 60000));
  } catch (e) {
    console.error(`create-cluster failed: ${(e as Error).message}`);
    console.error(`Processes started so far are left for inspection; stop them with: tessera destroy --data-dir ${dataDir}`);
    return 1;
  }
  const ctx = makeCtx(f);
  try {
    console.log(formatDescription(await describeCluster(ctx)));
  } finally {
    ctx.client.close();
  }
  return 0;
}

async function destroy(f: Map<string, string>): Promise<number> {
  const dataDir = path.resolve(f.get('--data-dir') ?? './.tessera/cluster');
  const local = LocalDeployment.open(dataDir);
  if (!local) {
    console.log(`No local deployment in ${dataDir}; nothing to stop.`);
    return 0;
  }
  const running = local.cluster.runningNodes();
  await local.cluster.stopAll();
  console.log(`Stopped ${running.length} processes${running.length ? `: ${running.map((n) => n.port).join(' ')}` : ''}.`);
  rmSync(path.join(dataDir, 'reshard.json'), { force: true });
  if (f.has('--purge') && existsSync(stateFile(dataDir))) {
    rmSync(dataDir, { recursive: true, force: true });
    console.log(`Removed ${dataDir}.`);
  }
  return 0;
}

export async function main(argv: readonly string[]): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(argv);
    const f = a.flags;
    switch (a.command) {
      case 'create-cluster': return await createCluster(f);
      case 'destroy': return await destroy(f);
      default: break;
    }
    const ctx = makeCtx(f);
    try {
      switch (a.command) {
        case 'describe': return await describe(ctx);
        case 'scale':
        case 'reshard': {
          const shards = int(f, '--shards', undefined);
          const remove = endpoints(f.get('--remove'));
          if (a.command === 'reshard' && remove.length > 0) throw new UsageError('--remove is an option of scale');
          if (a.command === 'scale' && shards === undefined && remove.length === 0 && !f.has('--resume') && !f.has('--abandon')) throw new UsageError('scale needs --shards N (or --remove host:port,...)');
          const r = await scale(ctx, {
            shards, dryRun: f.has('--dry-run'), add: endpoints(f.get('--add')), replicas: int(f, '--replicas', undefined),
            keepReplicas: f.has('--keep-replicas'), resume: f.has('--resume'), abandon: f.has('--abandon'),
            batchKeys: Math.max(1, int(f, '--batch', 100)), pipelineDepth: Math.max(1, int(f, '--pipeline', 4)),
            parallel: Math.max(1, int(f, '--parallel', 32)), group: Math.max(1, int(f, '--group', 4)),
            stopAfterSlots: int(f, '--stop-after-slots', undefined), prefer: prefer(f.get('--prefer')),
            remove, verbose: f.has('--verbose'),
          });
          return r.code;
        }
        case 'test-failover': {
          const mode = f.get('--mode') ?? 'graceful';
          if (mode !== 'graceful' && mode !== 'kill') throw new UsageError('--mode must be graceful or kill');
          const shard = int(f, '--shard', undefined);
          if (shard === undefined) throw new UsageError('test-failover needs --shard I');
          return await testFailover(ctx, { shard, mode, restart: !f.has('--no-restart'), timeoutMs: int(f, '--timeout', 30000) });
        }
        case 'add-replica':
        case 'remove-replica': {
          const shard = int(f, '--shard', undefined);
          if (shard === undefined) throw new UsageError(`${a.command} needs --shard I`);
          const given = endpoints(f.get(a.command === 'add-replica' ? '--add' : '--node-to-remove'))[0];
          return a.command === 'add-replica' ? await addReplica(ctx, shard, given) : await removeReplica(ctx, shard, given);
        }
        default:
          throw new UsageError(`unknown command ${a.command}`);
      }
    } finally {
      ctx.client.close();
    }
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) console.error(e.message);
      console.error(USAGE);
      return 64;
    }
    console.error(`tessera: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

// Run only as the entry point, so tests can import main().
const invoked = process.argv[1] ?? '';
if (invoked.endsWith('/coordinator/src/cli.js')) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
