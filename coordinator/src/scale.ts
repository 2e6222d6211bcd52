// `tessera scale --shards N` and `tessera reshard [--resume]`: the
// operation around the planner and the executor. Scaling out brings new
// nodes in (started locally with the deployment's flags, or given with
// --add), MEETs them, attaches their replicas, then moves slots onto them.
// Scaling in moves every slot off the shards being removed, then forgets
// their nodes everywhere and stops the processes it started. The plan is
// printed first (--dry-run stops there) and saved to a state file before a
// slot moves, so a rerun or `--resume` carries on.

import { key, type Endpoint } from './client.js';
import { addr, healthCheck, myId, waitAllKnown, waitFor, type Ctx } from './context.js';
import { applyMoves, chooseShardsToRemove, placeNewShards, planReshard, type ShardLoad, type SlotMove } from './reshard-plan.js';
import { clearReshardState, formatProgress, readReshardState, ReshardExecutor, writeReshardState, type Progress, type ReshardState } from './reshard.js';
import { formatRanges, healthWarnings, type Topology, type TopoNode } from './topology.js';
import type { NodeRecord } from './local/cluster.js';

export interface ScaleOptions {
  /** Target shard count; undefined = rebalance over the current primaries (reshard). */
  readonly shards: number | undefined;
  readonly dryRun: boolean;
  readonly add: readonly Endpoint[];
  /** Replicas per new shard; default: the fewest any current shard has. */
  readonly replicas: number | undefined;
  readonly keepReplicas: boolean;
  readonly resume: boolean;
  readonly abandon: boolean;
  readonly batchKeys: number;
  readonly pipelineDepth: number;
  readonly parallel: number;
  /** Slots a lane moves together (one pipeline per protocol step). */
  readonly group: number;
  /** Stop before this many slots have moved (tests use it to simulate an interruption). */
  readonly stopAfterSlots: number | undefined;
  readonly prefer: 'keys' | 'ranges';
  /** Scale in: the primaries (host:port) whose shards are removed; empty = the highest ports. */
  readonly remove: readonly Endpoint[];
  /** One line per slot as it starts and ends moving. */
  readonly verbose: boolean;
}

export interface ScaleResult {
  readonly code: number;
  readonly slotsMoved: number;
  readonly keysMoved: number;
  readonly elapsedMs: number;
}

const fail = (code: number): ScaleResult => ({ code, slotsMoved: 0, keysMoved: 0, elapsedMs: 0 });

/** Slot owners that hold slots, plus empty primaries (added earlier by an interrupted scale, or by hand). */
function primaries(t: Topology): { owning: TopoNode[]; empty: TopoNode[] } {
  const owning = t.shards.filter((s) => s.primary.slots.length > 0).map((s) => s.primary);
  const empty = t.shards.filter((s) => s.primary.slots.length === 0 && !s.primary.failing).map((s) => s.primary).sort((a, b) => a.port - b.port);
  return { owning, empty };
}

async function countKeys(ctx: Ctx, slotsByOwner: Map<TopoNode, number[]>): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  await Promise.all([...slotsByOwner].map(async ([n, slots]) => {
    const c = ctx.client.node(n);
    for (let i = 0; i < slots.length; i += 2000) {
      const part = slots.slice(i, i + 2000);
      const res = await c.pipeline(part.map((s) => ['CLUSTER', 'COUNTKEYSINSLOT', s]));
      res.forEach((r, j) => out.set(part[j] ?? -1, typeof r === 'number' ? r : 0));
    }
  }));
  return out;
}

function members(t: Topology, primaryId: string): string[] {
  const s = t.shards.find((x) => x.primary.id === primaryId);
  return s ? [s.primary.id, ...s.replicas.map((r) => r.id)] : [primaryId];
}

function describePlan(ctx: Ctx, shards: readonly ShardLoad[], moves: readonly SlotMove[], label: (id: string) => string): void {
  const after = applyMoves(shards, moves);
  const pairs = new Map<string, { slots: number[]; keys: number }>();
  for (const m of moves) {
    const k = `${m.from} ${m.to}`;
    let p = pairs.get(k);
    if (!p) pairs.set(k, (p = { slots: [], keys: 0 }));
    p.slots.push(m.slot);
    p.keys += m.keys;
  }
  ctx.out(`Plan: ${moves.length} slots, ${moves.reduce((a, m) => a + m.keys, 0)} keys to move`);
  for (const [k, p] of pairs) {
    const [from, to] = k.split(' ');
    const ranges = formatRanges(p.slots);
    ctx.out(`  ${label(from ?? '')} -> ${label(to ?? '')}: ${p.slots.length} slots (${ranges.length > 60 ? ranges.slice(0, 57) + '...' : ranges}), ${p.keys} keys`);
  }
  ctx.out('Slots per shard after:');
  for (const [id, n] of after) ctx.out(`  ${label(id)}: ${n}`);
}

/** Entry of `scale` and `reshard`. */
export async function scale(ctx: Ctx, o: ScaleOptions): Promise<ScaleResult> {
  const saved = readReshardState(ctx.stateFile);
  if (saved && o.abandon) {
    clearReshardState(ctx.stateFile);
    ctx.out(`Abandoned the saved reshard (${saved.purpose}); open slots, if any, remain for 'redis-cli --cluster fix'.`);
    return fail(0);
  }
  const wanted = o.shards === undefined ? undefined : `scale to ${o.shards} shards`;
  if (saved && !o.resume && saved.purpose !== wanted) {
    ctx.err(`A reshard is in progress (${saved.purpose}, ${saved.doneSlots}/${saved.moves.length} slots at the last save; state file ${ctx.stateFile}).`);
    ctx.err(`Finish it with 'tessera reshard --resume', or drop it with 'tessera reshard --abandon'.`);
    return fail(2);
  }
  if (saved) {
    ctx.out(`Resuming: ${saved.purpose} (state file ${ctx.stateFile}, saved at ${saved.doneSlots}/${saved.moves.length} slots).`);
    return execute(ctx, saved, o);
  }
  if (o.resume) {
    ctx.err(`Nothing to resume: no state file at ${ctx.stateFile}.`);
    return fail(1);
  }
  const { snap, problems } = await healthCheck(ctx);
  if (problems.length > 0) {
    ctx.err('Refusing: the cluster is not healthy:');
    for (const p of problems) ctx.err(`  - ${p}`);
    return fail(2);
  }
  const t = snap.topology;
  for (const w of healthWarnings(t)) ctx.err(`warning: ${w}`);
  const { owning, empty } = primaries(t);
  const target = o.shards ?? (o.remove.length > 0 ? owning.length - o.remove.length : owning.length + empty.length);
  if (!Number.isInteger(target) || target < 1 || target > 500) {
    ctx.err(`--shards must be 1..500, got ${o.shards}`);
    return fail(64);
  }
  const label = (id: string): string => {
    const n = t.nodes.find((x) => x.id === id);
    return n ? `${addr(n)} (${id.slice(0, 8)})` : id;
  };
  if (o.remove.length > 0 && target !== owning.length - o.remove.length) {
    ctx.err(`--remove names ${o.remove.length} shards, but going from ${owning.length} to ${target} shards removes ${owning.length - target}`);
    return fail(64);
  }
  if (target >= owning.length) return scaleOut(ctx, t, owning, empty, target, o, label);
  return scaleIn(ctx, t, owning, target, o, label);
}

async function scaleOut(ctx: Ctx, t: Topology, owning: TopoNode[], empty: TopoNode[], target: number, o: ScaleOptions, label: (id: string) => string): Promise<ScaleResult> {
  const reuse = empty.slice(0, target - owning.length);
  const need = target - owning.length - reuse.length;
  const replicasPer = o.replicas ?? Math.min(...t.shards.filter((s) => s.primary.slots.length > 0).map((s) => s.replicas.length));
  const newPrimaries: { id: string; ep: Endpoint; members: string[] }[] = reuse.map((p) => ({ id: p.id, ep: p, members: members(t, p.id) }));
  if (reuse.length > 0) ctx.out(`Using ${reuse.length} empty primaries already in the cluster: ${reuse.map(addr).join(' ')}`);
  // Nodes to bring in: explicit --add (already running, empty), else local processes.
  interface Incoming { ep: Endpoint; role: 'primary' | 'replica'; newShard: number; zone: string; record?: NodeRecord }
  const incoming: Incoming[] = [];
  if (need > 0 && o.add.length > 0) {
    if (o.add.length < need) {
      ctx.err(`--add gives ${o.add.length} nodes; ${need} new primaries are needed`);
      return fail(64);
    }
    o.add.forEach((ep, i) => {
      const isPrimary = i < need;
      incoming.push({ ep, role: isPrimary ? 'primary' : 'replica', newShard: isPrimary ? i : (i - need) % need, zone: '?' });
    });
  } else if (need > 0) {
    if (!ctx.local) {
      ctx.err(`Scaling to ${target} shards needs ${need} new primaries: pass --add host:port,... of started empty nodes, or run against a local deployment (--data-dir with cluster.json).`);
      return fail(64);
    }
    const opts = ctx.local.state.options;
    const zoneOfNode = (n: TopoNode): string | undefined => t.zones.get(n.id);
    const placed = placeNewShards({
      zones: opts.zones,
      primaryZones: t.shards.map((s) => zoneOfNode(s.primary)).filter((z): z is string => z !== undefined),
      replicaZones: t.shards.flatMap((s) => s.replicas.map(zoneOfNode)).filter((z): z is string => z !== undefined),
      newShards: need, replicas: replicasPer,
      usedPorts: new Set([...ctx.local.state.nodes.map((n) => n.port), ...t.nodes.map((n) => n.port)]),
      basePort: opts.basePort,
    });
    if (!placed.ok) {
      ctx.err(`Refusing: ${placed.error}`);
      return fail(2);
    }
    for (const p of placed.value) incoming.push({ ep: { host: `127.0.${p.zoneNumber}.${p.port - opts.basePort + 1}`, port: p.port }, role: p.role, newShard: p.newShard, zone: p.zone });
  }
  ctx.out(`Scale out: ${owning.length} -> ${target} shards${incoming.length > 0 ? `, bringing in ${incoming.length} nodes (${replicasPer} replicas per new shard)` : ''}`);
  for (const n of incoming) ctx.out(`  + ${addr(n.ep)} zone ${n.zone} ${n.role} of new shard ${n.newShard}`);
  // Plan with placeholder ids for nodes that do not exist yet, so --dry-run shows the slot moves too.
  const slotsByOwner = new Map(owning.map((p) => [p, [...p.slots]]));
  const keysInSlot = await countKeys(ctx, slotsByOwner);
  const placeholders = Array.from({ length: need }, (_, i) => `new-shard-${i}`);
  const targetsFor = (ids: string[]): string[] => [...owning.map((p) => p.id), ...newPrimaries.map((p) => p.id), ...ids];
  const shardLoads = (ids: string[]): { id: string; slots: readonly number[] }[] => [...owning.map((p) => ({ id: p.id, slots: p.slots })), ...[...newPrimaries.map((p) => p.id), ...ids].map((id) => ({ id, slots: [] }))];
  const preview = planReshard({ shards: shardLoads(placeholders), targets: targetsFor(placeholders), keysInSlot, prefer: o.prefer });
  if (!preview.ok) {
    ctx.err(`Refusing: ${preview.error}`);
    return fail(2);
  }
  describePlan(ctx, shardLoads(placeholders), preview.value, (id) => (id.startsWith('new-shard-') ? id : label(id)));
  if (o.dryRun) {
    ctx.out('Dry run: nothing changed.');
    return fail(0);
  }
  // Bring the nodes in.
  const seed = owning[0];
  if (!seed) return fail(2);
  if (incoming.length > 0) {
    if (ctx.local && o.add.length === 0) {
      const local = ctx.local;
      const shardBase = Math.max(-1, ...local.state.nodes.map((n) => n.shard)) + 1;
      const recs = local.addNodes(incoming.map((n) => {
        const primary = incoming.find((x) => x.role === 'primary' && x.newShard === n.newShard);
        const zoneNumber = local.state.options.zones.indexOf(n.zone) + 1;
        return {
          zone: n.zone, zoneNumber, port: n.ep.port, role: n.role, newShard: n.newShard, shard: shardBase + n.newShard,
          ...(n.role === 'replica' && primary ? { primaryPort: primary.ep.port } : {}),
        };
      }));
      const cluster = local.cluster;
      for (const r of recs) cluster.startNode(r);
      await Promise.all(recs.map((r) => cluster.waitListening(r)));
      ctx.out(`Started ${recs.length} nodes (pids in ${local.dataDir}/<port>/node.pid).`);
    }
    for (const n of incoming) {
      const known = String(await ctx.client.node(n.ep).call('CLUSTER', 'NODES')).trim().split('\n').length;
      const info = String(await ctx.client.node(n.ep).call('INFO', 'keyspace'));
      if (/keys=/.test(info) || known > 1) {
        ctx.err(`Refusing: ${addr(n.ep)} is not an empty, fresh node (it has keys or already knows ${known - 1} other nodes)`);
        return fail(2);
      }
      await ctx.client.node(n.ep).call('CLUSTER', 'MEET', seed.host, seed.port);
    }
    await waitAllKnown(ctx, [...t.nodes, ...incoming.map((n) => n.ep)], t.nodes.length + incoming.length);
    for (const n of incoming.filter((x) => x.role === 'primary')) {
      const id = await myId(ctx, n.ep);
      newPrimaries.push({ id, ep: n.ep, members: [id] });
    }
    const fresh = newPrimaries.slice(reuse.length);
    for (const n of incoming.filter((x) => x.role === 'replica')) {
      const p = fresh[n.newShard];
      if (!p) continue;
      await waitFor(`CLUSTER REPLICATE on ${addr(n.ep)}`, 15000, async () => ((await ctx.client.node(n.ep).call('CLUSTER', 'REPLICATE', p.id)) === 'OK' ? true : undefined), 200);
      p.members.push(await myId(ctx, n.ep));
      ctx.out(`  ${addr(n.ep)} replicates ${addr(p.ep)}`);
    }
    if (ctx.local) ctx.local.setShards(target);
    // A new node says cluster_state:fail until gossip has taught it every slot owner.
    await waitFor('the new nodes to see the whole cluster (cluster_state:ok)', 30000, async () => {
      const { problems } = await healthCheck(ctx);
      return problems.length === 0 ? true : undefined;
    }, 200);
  }
  const plan = planReshard({ shards: shardLoads([]), targets: targetsFor([]), keysInSlot, prefer: o.prefer });
  if (!plan.ok) {
    ctx.err(`Refusing: ${plan.error}`);
    return fail(2);
  }
  const memberMap: Record<string, string[]> = {};
  for (const p of owning) memberMap[p.id] = members(t, p.id);
  for (const p of newPrimaries) memberMap[p.id] = p.members;
  const state: ReshardState = {
    version: 1, createdAt: new Date().toISOString(), purpose: `scale to ${target} shards`,
    seeds: [...t.nodes.map((n) => ({ host: n.host, port: n.port })), ...incoming.map((n) => n.ep)],
    moves: plan.value, remove: [], keepReplicas: o.keepReplicas, doneSlots: 0, members: memberMap,
  };
  writeReshardState(ctx.stateFile, state);
  return execute(ctx, state, o);
}

async function scaleIn(ctx: Ctx, t: Topology, owning: TopoNode[], target: number, o: ScaleOptions, label: (id: string) => string): Promise<ScaleResult> {
  let removeIds: Set<string>;
  if (o.remove.length > 0) {
    removeIds = new Set();
    for (const ep of o.remove) {
      const p = owning.find((n) => n.port === ep.port && (n.host === ep.host || addr(n) === addr(ep)));
      if (!p) {
        ctx.err(`Refusing: ${addr(ep)} is not a primary that owns slots (--remove names the primaries of the shards to remove)`);
        return fail(2);
      }
      removeIds.add(p.id);
    }
  } else {
    removeIds = new Set(chooseShardsToRemove(owning.map((p) => ({ id: p.id, port: p.port })), owning.length - target));
  }
  const keep = owning.filter((p) => !removeIds.has(p.id));
  const keysInSlot = await countKeys(ctx, new Map(owning.filter((p) => removeIds.has(p.id)).map((p) => [p, [...p.slots]])));
  const plan = planReshard({ shards: owning.map((p) => ({ id: p.id, slots: p.slots })), targets: keep.map((p) => p.id), keysInSlot, prefer: o.prefer });
  if (!plan.ok) {
    ctx.err(`Refusing: ${plan.error}`);
    return fail(2);
  }
  const remove: { id: string; host: string; port: number }[] = [];
  for (const s of t.shards) if (removeIds.has(s.primary.id)) {
    remove.push({ id: s.primary.id, host: s.primary.host, port: s.primary.port });
    if (!o.keepReplicas) for (const r of s.replicas) remove.push({ id: r.id, host: r.host, port: r.port });
  }
  ctx.out(`Scale in: ${owning.length} -> ${target} shards; removing ${[...removeIds].map(label).join(', ')}`);
  ctx.out(`  nodes to forget and stop afterwards: ${remove.map(addr).join(' ')}${o.keepReplicas ? ' (their replicas are reassigned)' : ''}`);
  describePlan(ctx, owning.map((p) => ({ id: p.id, slots: p.slots })), plan.value, label);
  if (o.dryRun) {
    ctx.out('Dry run: nothing changed.');
    return fail(0);
  }
  const memberMap: Record<string, string[]> = {};
  for (const p of owning) memberMap[p.id] = members(t, p.id);
  const state: ReshardState = {
    version: 1, createdAt: new Date().toISOString(), purpose: `scale to ${target} shards`,
    seeds: t.nodes.map((n) => ({ host: n.host, port: n.port })), moves: plan.value, remove, keepReplicas: o.keepReplicas,
    doneSlots: 0, members: memberMap,
  };
  writeReshardState(ctx.stateFile, state);
  return execute(ctx, state, o);
}

async function execute(ctx: Ctx, state: ReshardState, o: ScaleOptions): Promise<ScaleResult> {
  let interrupted = false;
  let saveAt = 0;
  let doneCount = 0;
  const tty = process.stderr.isTTY === true;
  let lastPrint = 0;
  let lastLine = '';
  const show = (p: Progress): void => {
    lastLine = formatProgress(p);
    if (p.event) ctx.err(`${tty ? '\n' : ''}${p.event}`);
    const now = Date.now();
    if (tty) process.stderr.write(`\r${lastLine}`);
    else if (now - lastPrint > 1000) {
      ctx.err(lastLine);
      lastPrint = now;
    }
  };
  const exec = new ReshardExecutor(ctx.client, {
    batchKeys: o.batchKeys, pipelineDepth: o.pipelineDepth, parallelPerSource: o.parallel, slotsPerStep: o.group, migrateTimeoutMs: 10000, recoverTimeoutMs: 60000,
    onProgress: show,
    ...(o.verbose ? { onSlot: (slot: number, phase: 'start' | 'done', from: string, to: string, keys: number) => ctx.out(`${Date.now()} slot ${slot} ${phase === 'start' ? 'moving' : 'moved'} ${from.slice(0, 8)} -> ${to.slice(0, 8)}${phase === 'done' ? ` (${keys} keys)` : ''}`) } : {}),
    onSlotDone: (done) => {
      doneCount++;
      // The cluster is the truth on resume; the saved count is informative, and the file holds the whole plan.
      if (Date.now() - saveAt > 2000) {
        writeReshardState(ctx.stateFile, { ...state, doneSlots: done });
        saveAt = Date.now();
      }
    },
    shouldStop: () => interrupted || (o.stopAfterSlots !== undefined && doneCount >= o.stopAfterSlots),
  }, state.members);
  const planSlots = new Set(state.moves.map((m) => m.slot));
  const blockingProblems = async (): Promise<string[]> => {
    const { problems } = await healthCheck(ctx, planSlots);
    return problems;
  };
  let blocking = await blockingProblems();
  if (blocking.length > 0 && planSlots.size > 0) {
    // A stopped run can leave an importer stuck on a failed-over source's old owner; let the executor repair that first.
    await exec.settle(15000).catch(() => undefined);
    blocking = await blockingProblems();
  }
  if (blocking.length > 0) {
    ctx.err('Refusing to continue: the cluster is not healthy:');
    for (const p of blocking) ctx.err(`  - ${p}`);
    ctx.err(`The plan is kept in ${ctx.stateFile}; rerun 'tessera reshard --resume' once the cluster is healthy.`);
    return fail(2);
  }
  const onSigint = (): void => {
    interrupted = true;
    ctx.err('\nInterrupted: finishing the slots in flight, then stopping (resume with tessera reshard --resume).');
  };
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await exec.run(state.moves);
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (tty) process.stderr.write('\n');
  else if (lastLine) ctx.err(lastLine);
  if (result.stopped) {
    writeReshardState(ctx.stateFile, { ...state, doneSlots: result.slotsDone });
    ctx.out(`Stopped after ${result.slotsDone}/${state.moves.length} slots; resume with: tessera reshard --resume`);
    return { code: 3, slotsMoved: result.slotsMoved, keysMoved: result.keysMoved, elapsedMs: result.elapsedMs };
  }
  const rate = result.elapsedMs > 0 ? Math.round(result.keysMoved / (result.elapsedMs / 1000)) : 0;
  ctx.out(`Moved ${result.slotsMoved} slots and ${result.keysMoved} keys in ${(result.elapsedMs / 1000).toFixed(1)} s (${rate} keys/s)${result.recoveries > 0 ? `, recovered from ${result.recoveries} failures` : ''}${result.conflicts > 0 ? `, ${result.conflicts} keys found on both source and target after a failover (target's copy kept)` : ''}${result.replaced > 0 ? `, ${result.replaced} MIGRATE batches re-sent with REPLACE after a lost reply (source's copy kept)` : ''}.`);
  if (state.remove.length > 0) await finishRemoval(ctx, state);
  await waitFor('every node to agree on the new slot owners', 30000, async () => {
    const { problems: left } = await healthCheck(ctx);
    return left.length === 0 ? true : undefined;
  }, 250).catch((e: Error) => ctx.err(`warning: ${e.message}`));
  // A failover or a restart during the run may have moved replicas (even into their primary's zone).
  try {
    for (const w of healthWarnings((await ctx.client.snapshot()).topology)) ctx.err(`warning: ${w}`);
  } catch { /* the warnings are a courtesy; the scale itself is done */ }
  clearReshardState(ctx.stateFile);
  return { code: 0, slotsMoved: result.slotsMoved, keysMoved: result.keysMoved, elapsedMs: result.elapsedMs };
}

/** After a scale-in: reassign kept replicas, forget the removed nodes everywhere, stop (local) or reset them. */
async function finishRemoval(ctx: Ctx, state: ReshardState): Promise<void> {
  const snap = await ctx.client.snapshot();
  const t = snap.topology;
  const removeIds = new Set(state.remove.map((r) => r.id));
  const remaining = t.nodes.filter((n) => !removeIds.has(n.id));
  if (state.keepReplicas) {
    const primariesLeft = t.shards.filter((s) => !removeIds.has(s.primary.id) && s.primary.slots.length > 0);
    const orphans = t.nodes.filter((n) => n.role === 'replica' && removeIds.has(n.primaryId) && !removeIds.has(n.id));
    for (const r of orphans) {
      const rz = t.zones.get(r.id);
      const choice = [...primariesLeft].filter((s) => t.zones.get(s.primary.id) !== rz || rz === undefined)
        .sort((a, b) => a.replicas.length - b.replicas.length)[0] ?? primariesLeft[0];
      if (!choice) continue;
      await ctx.client.node(r).call('CLUSTER', 'REPLICATE', choice.primary.id);
      ctx.out(`Replica ${addr(r)} now replicates ${addr(choice.primary)}`);
    }
  }
  for (const n of remaining) {
    for (const id of removeIds) {
      try {
        await ctx.client.node(n).call('CLUSTER', 'FORGET', id);
      } catch (e) {
        if (!/Unknown node/i.test((e as Error).message)) ctx.err(`warning: CLUSTER FORGET ${id.slice(0, 8)} on ${addr(n)}: ${(e as Error).message}`);
      }
    }
  }
  const stoppedPorts = new Set<number>();
  for (const r of state.remove) {
    const rec = ctx.local?.byPort(r.port);
    if (ctx.local && rec) {
      await ctx.local.cluster.stopNode(rec);
      stoppedPorts.add(r.port);
    } else {
      // Not ours to stop: make it forget the cluster so it cannot rejoin it.
      try {
        await ctx.client.node(r).call('CLUSTER', 'RESET', 'HARD');
      } catch (e) {
        ctx.err(`warning: CLUSTER RESET HARD on ${addr(r)}: ${(e as Error).message}`);
      }
    }
  }
  if (ctx.local && stoppedPorts.size > 0) {
    ctx.local.removeNodes(stoppedPorts);
    ctx.local.setShards(new Set(ctx.local.state.nodes.map((n) => n.shard)).size);
  }
  ctx.out(`Removed ${state.remove.length} nodes: ${state.remove.map((r) => key(r)).join(' ')}${stoppedPorts.size > 0 ? ` (${stoppedPorts.size} local processes stopped)` : ''}.`);
}
