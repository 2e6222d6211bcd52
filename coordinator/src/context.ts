// What every subcommand gets: a client to the cluster, the local deployment
// when there is one, where to print, and a few waits on the real cluster.

import { ClusterClient, type ClusterSnapshot, type Endpoint } from './client.js';
import type { LocalDeployment } from './local-nodes.js';
import { healthProblems, type TopoNode } from './topology.js';

export interface Ctx {
  readonly client: ClusterClient;
  readonly local: LocalDeployment | undefined;
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  /** Where a reshard keeps its plan and progress. */
  readonly stateFile: string;
  readonly json: boolean;
}

/** Polls until check returns a value; throws with `what` and the last reason after timeoutMs. */
export async function waitFor<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Problems that make an operation refuse; the snapshot is returned too. */
export async function healthCheck(ctx: Ctx, allowOpen: ReadonlySet<number> = new Set()): Promise<{ snap: ClusterSnapshot; problems: string[] }> {
  const snap = await ctx.client.snapshot();
  return { snap, problems: healthProblems(snap.topology, snap.clusterStates, allowOpen) };
}

/** Waits until every node in `nodes` knows every other one (no handshake left), as MEET needs gossip to spread. */
export async function waitAllKnown(ctx: Ctx, nodes: readonly Endpoint[], expected: number, timeoutMs = 30000): Promise<void> {
  await waitFor(`all ${expected} nodes to know each other`, timeoutMs, async () => {
    for (const n of nodes) {
      const text = String(await ctx.client.node(n).call('CLUSTER', 'NODES'));
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      if (lines.length < expected || lines.some((l) => l.split(' ')[2]?.includes('handshake'))) return undefined;
    }
    return true;
  }, 200);
}

export async function myId(ctx: Ctx, e: Endpoint): Promise<string> {
  return String(await ctx.client.node(e).call('CLUSTER', 'MYID'));
}

export const addr = (n: Endpoint): string => `${n.host}:${n.port}`;

export function zoneOf(zones: ReadonlyMap<string, string>, n: TopoNode): string {
  return zones.get(n.id) ?? '-';
}
