// deploy/kubernetes cannot be run here (no cluster, no Docker engine), so this
// test validates it statically: every YAML document parses and has the fields
// its kind needs; the StatefulSets, Services, PDB and Job fit together (names,
// selectors, ports, zones, replica placement, memory); every tessera-server
// flag and config-file directive is in the directive table; every
// `tessera <subcommand> --flag` is in the coordinator CLI's usage text; and
// every shell script parses (sh -n).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { DIRECTIVES } from '../../src/config/table.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const K8S = path.join(ROOT, 'deploy/kubernetes');

type Obj = Record<string, any>;

interface Doc {
  readonly file: string;
  readonly obj: Obj;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

const rel = (p: string): string => path.relative(K8S, p);

function loadDocs(): Doc[] {
  const docs: Doc[] = [];
  for (const file of walk(K8S).filter((f) => /\.ya?ml$/.test(f))) {
    for (const d of parseAllDocuments(readFileSync(file, 'utf8'))) {
      assert.deepEqual(d.errors.map((e) => e.message), [], `${rel(file)}: YAML errors`);
      const obj = d.toJS() as unknown;
      if (obj === null || obj === undefined) continue;
      assert.equal(typeof obj, 'object', `${rel(file)}: a document is not a mapping`);
      docs.push({ file: rel(file), obj: obj as Obj });
    }
  }
  return docs;
}

const KINDS: Record<string, string> = {
  Namespace: 'v1',
  Service: 'v1',
  ConfigMap: 'v1',
  StatefulSet: 'apps/v1',
  PodDisruptionBudget: 'policy/v1',
  Job: 'batch/v1',
  Kustomization: 'kustomize.config.k8s.io/v1beta1',
};

function labelsMatch(selector: Obj | undefined, labels: Obj | undefined): boolean {
  if (!selector || !labels) return false;
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** Bytes of a Kubernetes quantity (1Gi, 512Mi, 1G) or a redis.conf memory value (512mb, 1gb, 100). */
function bytes(q: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(q.trim());
  assert.ok(m, `not a memory quantity: ${q}`);
  const units: Record<string, number> = {
    '': 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3,
    kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, b: 1,
  };
  const u = units[m[2]!] ?? units[m[2]!.toLowerCase()];
  assert.ok(u !== undefined, `unknown unit in ${q}`);
  return Number(m[1]) * u;
}

/** Shell text without comments, line continuations joined. */
function shellCode(text: string): string {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .join('\n');
}

/** Each invocation of `word` (as a command, not part of a longer name): the rest of its command line. */
function invocations(code: string, word: string): string[][] {
  const out: string[][] = [];
  const re = new RegExp(`(?:^|[\\s;|&(])${word.replace(/-/g, '\\-')}(?=\\s)([^\\n;|&)]*)`, 'g');
  for (const m of code.matchAll(re)) out.push(m[1]!.trim().split(/\s+/).filter((t) => t !== ''));
  return out;
}

interface CliSpec {
  readonly commands: Map<string, Set<string>>;
}

/** The coordinator CLI's commands and flags, from its usage text (cli.ts exports no table). */
function cliSpec(): CliSpec {
  const cli = path.join(ROOT, 'dist/coordinator/src/cli.js');
  assert.ok(existsSync(cli), `${cli} missing: build first`);
  const r = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
  const usage = `${r.stdout}\n${r.stderr}`;
  assert.match(usage, /usage: tessera <command>/);
  const flagsIn = (s: string): string[] => [...s.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
  const sections = new Map<string, string[]>();
  let heading = '';
  for (const line of usage.split('\n')) {
    if (/^\S.*:$/.test(line)) {
      heading = line.slice(0, -1);
      sections.set(heading, []);
    } else if (heading !== '') sections.get(heading)!.push(line);
  }
  const commandLines = sections.get('Commands') ?? [];
  const global = flagsIn((sections.get('Finding the cluster') ?? []).join('\n'));
  assert.ok(global.includes('--node'), 'usage text: no --node under "Finding the cluster"');
  const commands = new Map<string, Set<string>>();
  for (const line of commandLines) {
    const m = /^ {2}([a-z][a-z-]*)(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    const flags = new Set([...global, ...flagsIn(m[2]!)]);
    for (const [h, body] of sections) {
      if (h.split('/').map((x) => x.trim()).includes(name)) for (const f of flagsIn(body.join('\n'))) flags.add(f);
    }
    commands.set(name, flags);
  }
  return { commands };
}

describe('deploy/kubernetes manifests', function () {
  const docs = loadDocs();
  const of = (kind: string): Obj[] => docs.filter((d) => d.obj['kind'] === kind).map((d) => d.obj);
  const kustomization = of('Kustomization')[0];
  const statefulSets = of('StatefulSet');
  const services = of('Service');
  const jobs = of('Job');
  const conf = readFileSync(path.join(K8S, 'tessera.conf'), 'utf8');
  const scripts = walk(K8S).filter((f) => f.endsWith('.sh'));

  /** ConfigMap name -> file names it holds (declared or generated by kustomize). */
  const configMaps = new Map<string, Set<string>>();
  for (const cm of of('ConfigMap')) configMaps.set(cm['metadata'].name, new Set(Object.keys(cm['data'] ?? {})));
  for (const g of (kustomization?.['configMapGenerator'] ?? []) as Obj[]) {
    configMaps.set(g['name'], new Set(((g['files'] ?? []) as string[]).map((f) => path.basename(f.split('=').pop()!))));
  }

  it('every document parses and has apiVersion, kind and metadata.name', function () {
    assert.ok(docs.length >= 8, `only ${docs.length} documents`);
    for (const { file, obj } of docs) {
      const kind = obj['kind'];
      assert.equal(typeof kind, 'string', `${file}: no kind`);
      assert.ok(kind in KINDS, `${file}: unexpected kind ${kind}`);
      assert.equal(obj['apiVersion'], KINDS[kind], `${file}: ${kind} apiVersion`);
      if (kind !== 'Kustomization') {
        const name = obj['metadata']?.name;
        assert.ok(typeof name === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name), `${file}: ${kind} metadata.name ${name}`);
      }
    }
  });

  it('kustomization lists every manifest, and its generated ConfigMaps exist', function () {
    assert.ok(kustomization, 'no kustomization.yaml');
    const manifests = walk(K8S).filter((f) => /\.ya?ml$/.test(f) && path.basename(f) !== 'kustomization.yaml').map(rel);
    assert.deepEqual([...(kustomization['resources'] as string[])].sort(), manifests.sort());
    for (const g of kustomization['configMapGenerator'] as Obj[]) {
      for (const f of g['files'] as string[]) assert.ok(existsSync(path.join(K8S, f.split('=').pop()!)), `configMapGenerator file ${f} missing`);
    }
    assert.ok(configMaps.get('tessera-config')?.has('tessera.conf'), 'tessera-config holds tessera.conf');
  });

  it('has a headless Service for the node names and a client Service', function () {
    const headless = services.filter((s) => s['spec']?.clusterIP === 'None');
    assert.equal(headless.length, 1, 'one headless Service');
    const h = headless[0]!;
    assert.equal(h['spec'].publishNotReadyAddresses, true, 'headless Service publishes not-ready pods (readiness needs the cluster formed)');
    const ports = (h['spec'].ports as Obj[]).map((p) => p['port']);
    assert.ok(ports.includes(6379) && ports.includes(16379), 'headless Service exposes 6379 and 16379');
    const client = services.filter((s) => s['spec']?.clusterIP !== 'None');
    assert.equal(client.length, 1, 'one client Service');
    for (const s of services) {
      assert.ok(statefulSets.some((ss) => labelsMatch(s['spec'].selector, ss['spec'].template.metadata.labels)), `Service ${s['metadata'].name} selects the node pods`);
    }
  });

  it('StatefulSets: serviceName, selector, image, ports, volumes, zone, probes, resources', function () {
    assert.ok(statefulSets.length >= 1);
    const headless = services.find((s) => s['spec']?.clusterIP === 'None')!;
    const zones = new Set<string>();
    const maxmemory = /^maxmemory\s+(\S+)/m.exec(conf);
    assert.ok(maxmemory, 'tessera.conf sets maxmemory');
    for (const ss of statefulSets) {
      const name = ss['metadata'].name as string;
      const spec = ss['spec'];
      assert.equal(spec.serviceName, headless['metadata'].name, `${name}: serviceName is the headless Service`);
      assert.ok(Number.isInteger(spec.replicas) && spec.replicas >= 1, `${name}: replicas`);
      assert.ok(labelsMatch(spec.selector?.matchLabels, spec.template?.metadata?.labels), `${name}: selector matches template labels`);
      const pod = spec.template.spec;
      const containers = pod.containers as Obj[];
      assert.ok(containers.length >= 1, `${name}: containers`);
      const c = containers[0]!;
      assert.ok(typeof c['image'] === 'string' && c['image'] !== '', `${name}: image`);
      const ports = (c['ports'] as Obj[]).map((p) => p['containerPort']);
      assert.ok(ports.includes(6379) && ports.includes(16379), `${name}: ports 6379 and 16379`);
      // Persistent nodes.conf: a claim template mounted at the node's dir.
      const claims = (spec.volumeClaimTemplates as Obj[] | undefined) ?? [];
      assert.ok(claims.length >= 1, `${name}: volumeClaimTemplates`);
      const dataMount = (c['volumeMounts'] as Obj[]).find((m) => m['name'] === claims[0]!['metadata'].name);
      assert.equal(dataMount?.['mountPath'], '/data', `${name}: the claim is mounted at /data`);
      // Zone: pinned by nodeAffinity (or spread), and passed to the node.
      const env = new Map(((c['env'] as Obj[]) ?? []).map((e) => [e['name'] as string, e]));
      const terms = (pod.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? []) as Obj[];
      const zoneExpr = terms.flatMap((t) => (t['matchExpressions'] ?? []) as Obj[]).find((e) => e['key'] === 'topology.kubernetes.io/zone');
      const spread = ((pod.topologySpreadConstraints ?? []) as Obj[]).some((t) => t['topologyKey'] === 'topology.kubernetes.io/zone');
      assert.ok(zoneExpr || spread, `${name}: nodeAffinity or topologySpreadConstraints on topology.kubernetes.io/zone`);
      if (zoneExpr) {
        assert.equal(zoneExpr['operator'], 'In');
        assert.equal(zoneExpr['values'].length, 1, `${name}: pinned to one zone`);
        assert.equal(env.get('TESSERA_ZONE')?.['value'], zoneExpr['values'][0], `${name}: TESSERA_ZONE is the zone of its nodeAffinity`);
        assert.ok(!zones.has(zoneExpr['values'][0]), `${name}: zone ${zoneExpr['values'][0]} used twice`);
        zones.add(zoneExpr['values'][0]);
      }
      for (const v of ['POD_NAME', 'POD_NAMESPACE', 'POD_IP']) assert.ok(env.get(v)?.['valueFrom']?.fieldRef, `${name}: ${v} from the downward API`);
      assert.equal(env.get('POD_IP')?.['valueFrom'].fieldRef.fieldPath, 'status.podIP');
      // Probes and the preStop hook run scripts from the mounted ConfigMap.
      const ready = (c['readinessProbe']?.exec?.command ?? []) as string[];
      const live = (c['livenessProbe']?.exec?.command ?? []) as string[];
      assert.ok(ready.length > 0 && live.length > 0, `${name}: exec readiness and liveness probes`);
      assert.ok(live.includes('ping'), `${name}: liveness is redis-cli ping`);
      const configVolume = (pod.volumes as Obj[]).find((v) => v['configMap']);
      const cmFiles = configMaps.get(configVolume?.['configMap']?.name);
      assert.ok(cmFiles, `${name}: mounts an existing ConfigMap`);
      const mountPath = (c['volumeMounts'] as Obj[]).find((m) => m['name'] === configVolume!['name'])!['mountPath'] as string;
      const used = [...c['command'], ...ready, ...(c['lifecycle']?.preStop?.exec?.command ?? [])].filter((a: string) => a.startsWith(`${mountPath}/`));
      assert.ok(used.length >= 3, `${name}: start, readiness and preStop scripts`);
      for (const u of used) assert.ok(cmFiles.has(path.basename(u)), `${name}: ${u} is in the ConfigMap`);
      const readyScript = ready.find((a) => a.startsWith(`${mountPath}/`));
      const readyText = readyScript ? readFileSync(path.join(K8S, 'scripts', path.basename(readyScript)), 'utf8') : ready.join(' ');
      assert.match(readyText, /cluster_state:ok/, `${name}: readiness from cluster_state`);
      // Memory: maxmemory and the V8 heap below the container limit.
      const limit = c['resources']?.limits?.memory as string | undefined;
      assert.ok(limit && c['resources']?.requests?.memory && c['resources']?.requests?.cpu, `${name}: requests and limits`);
      assert.ok(bytes(maxmemory[1]!) < bytes(limit), `${name}: maxmemory ${maxmemory[1]} below the limit ${limit}`);
      const heap = Number(env.get('TESSERA_MAX_HEAP_MB')?.['value']);
      assert.ok(heap > 0 && heap * 1024 ** 2 < bytes(limit) && heap * 1024 ** 2 > bytes(maxmemory[1]!), `${name}: TESSERA_MAX_HEAP_MB between maxmemory and the limit`);
      assert.ok(pod.securityContext?.runAsNonRoot, `${name}: runs as non-root`);
    }
  });

  it('PodDisruptionBudget selects the node pods', function () {
    const pdbs = of('PodDisruptionBudget');
    assert.equal(pdbs.length, 1);
    const sel = pdbs[0]!['spec'].selector.matchLabels;
    for (const ss of statefulSets) assert.ok(labelsMatch(sel, ss['spec'].template.metadata.labels), `PDB selects ${ss['metadata'].name}`);
    assert.ok(pdbs[0]!['spec'].maxUnavailable !== undefined || pdbs[0]!['spec'].minAvailable !== undefined);
  });

  it('the create-cluster Job: restart policy, image, and a placement with replicas outside their primary\'s zone', function () {
    assert.equal(jobs.length, 1);
    const pod = jobs[0]!['spec'].template.spec;
    assert.ok(['Never', 'OnFailure'].includes(pod.restartPolicy), 'Job restartPolicy Never or OnFailure');
    const c = (pod.containers as Obj[])[0]!;
    assert.ok(typeof c['image'] === 'string' && c['image'] !== '');
    const cm = configMaps.get((pod.volumes as Obj[]).find((v) => v['configMap'])?.['configMap'].name);
    assert.ok(cm, 'Job mounts an existing ConfigMap');
    for (const a of (c['command'] as string[]).filter((x) => x.startsWith('/etc/tessera/'))) assert.ok(cm.has(path.basename(a)), `${a} is in the Job's ConfigMap`);
    const env = new Map(((c['env'] as Obj[]) ?? []).map((e) => [e['name'] as string, e['value'] as string | undefined]));
    const primaries = (env.get('TESSERA_PRIMARIES') ?? '').split(/\s+/).filter((x) => x !== '');
    const replicas = (env.get('TESSERA_REPLICAS') ?? '').split(/\s+/).filter((x) => x !== '');
    // Every pod of every StatefulSet, with its zone.
    const zoneOf = new Map<string, string>();
    for (const ss of statefulSets) {
      const z = (ss['spec'].template.spec.containers[0].env as Obj[]).find((e) => e['name'] === 'TESSERA_ZONE')?.['value'] as string;
      for (let i = 0; i < ss['spec'].replicas; i++) zoneOf.set(`${ss['metadata'].name}-${i}`, z);
    }
    assert.deepEqual([...primaries, ...replicas].sort(), [...zoneOf.keys()].sort(), 'the Job names every node pod exactly once');
    assert.ok(primaries.length >= 3, 'at least 3 primaries (a majority survives one failure)');
    replicas.forEach((r, i) => {
      const p = primaries[i % primaries.length]!;
      assert.notEqual(zoneOf.get(r), zoneOf.get(p), `replica ${r} is in its primary ${p}'s zone`);
    });
    assert.equal(new Set(primaries.map((p) => zoneOf.get(p))).size, primaries.length, 'primaries in distinct zones');
  });

  it('every tessera-server flag and tessera.conf directive is in the directive table', function () {
    const known = new Set(DIRECTIVES.flatMap((d) => [d.name, ...(d.aliases ?? [])]));
    const lines = conf.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
    assert.ok(lines.length > 5);
    for (const l of lines) assert.ok(known.has(l.split(/\s+/)[0]!.toLowerCase()), `tessera.conf: unknown directive ${l}`);
    for (const d of ['cluster-enabled', 'cluster-config-file', 'maxmemory']) assert.ok(lines.some((l) => l.startsWith(`${d} `)), `tessera.conf sets ${d}`);
    const code = scripts.map((f) => shellCode(readFileSync(f, 'utf8'))).join('\n');
    const calls = invocations(code, 'tessera-server');
    assert.ok(calls.length >= 1, 'a tessera-server invocation');
    const flags = calls.flat().filter((t) => t.startsWith('--')).map((t) => t.slice(2));
    for (const f of ['availability-zone', 'cluster-announce-hostname', 'cluster-preferred-endpoint-type', 'cluster-announce-ip']) assert.ok(flags.includes(f), `tessera-server is given --${f}`);
    for (const f of flags) assert.ok(known.has(f), `tessera-server --${f} is not a directive`);
    // Container commands that call tessera-server directly (not through a script).
    for (const ss of statefulSets) {
      const c = ss['spec'].template.spec.containers[0];
      const argv = [...(c.command ?? []), ...(c.args ?? [])] as string[];
      if (argv.some((a) => /(^|\/)tessera-server$/.test(a))) for (const a of argv.filter((x) => x.startsWith('--'))) assert.ok(known.has(a.slice(2)), `${a} is not a directive`);
    }
  });

  it('every `tessera <subcommand> --flag` exists in the coordinator CLI', function () {
    const spec = cliSpec();
    for (const c of ['create-cluster', 'describe', 'add-replica']) assert.ok(spec.commands.has(c), `usage text lists ${c}`);
    const code = scripts.map((f) => shellCode(readFileSync(f, 'utf8'))).join('\n');
    const calls = invocations(code, 'tessera');
    assert.ok(calls.length >= 1, 'the manifests use the tessera CLI');
    for (const [sub, ...rest] of calls) {
      const flags = spec.commands.get(sub ?? '');
      assert.ok(flags, `tessera ${sub}: no such subcommand`);
      for (const t of rest.filter((x) => x.startsWith('--'))) assert.ok(flags.has(t.split('=')[0]!), `tessera ${sub} ${t}: no such flag`);
    }
    for (const job of jobs) {
      const c = job['spec'].template.spec.containers[0];
      const argv = [...(c.command ?? []), ...(c.args ?? [])] as string[];
      if (/(^|\/)tessera$/.test(argv[0] ?? '')) {
        const flags = spec.commands.get(argv[1] ?? '');
        assert.ok(flags, `Job: tessera ${argv[1]}: no such subcommand`);
        for (const t of argv.slice(2).filter((x) => x.startsWith('--'))) assert.ok(flags.has(t), `Job: ${t}`);
      }
    }
  });

  it('every shell script parses (sh -n)', function () {
    assert.ok(scripts.length >= 4);
    for (const f of scripts) {
      const r = spawnSync('sh', ['-n', f], { encoding: 'utf8' });
      assert.equal(r.status, 0, `${rel(f)}: ${r.stderr}`);
    }
  });

  it('Dockerfile: node:20-slim, npm ci, a build, redis-cli, a non-root user', function () {
    const d = readFileSync(path.join(K8S, 'Dockerfile'), 'utf8');
    assert.match(d, /^FROM node:20-slim/m);
    assert.match(d, /npm ci/);
    assert.match(d, /redis-tools/);
    const users = [...d.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]);
    assert.ok(users.length > 0 && !['root', '0'].includes(users[users.length - 1]!), 'the image runs as a non-root user');
  });
});
