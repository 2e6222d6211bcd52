// cluster_state, as Redis's clusterUpdateState decides it. 'fail' when
// cluster-require-full-coverage is on and a slot is unassigned or owned by a
// FAIL node, or when this node cannot reach a majority of the slot-owning
// primaries (a minority partition must stop serving). A primary coming back
// from the minority waits a rejoin delay (node timeout clamped to 0.5-5 s) so
// that it does not serve stale slots before the majority's UPDATEs reach it,
// and a primary that just started waits CLUSTER_WRITABLE_DELAY.

export const MIN_REJOIN_DELAY_MS = 500;
export const MAX_REJOIN_DELAY_MS = 5000;
export const WRITABLE_DELAY_MS = 2000;

export interface HealthInput {
  readonly requireFullCoverage: boolean;
  /** Slots with an owner that is not FAIL. */
  readonly slotsServed: number;
  /** Primaries owning at least one slot (Redis's cluster->size). */
  readonly size: number;
  /** Of those, the ones this node does not consider PFAIL/FAIL (itself included). */
  readonly reachablePrimaries: number;
}

export function computedState(h: HealthInput): { state: 'ok' | 'fail'; minority: boolean } {
  const minority = h.reachablePrimaries < Math.floor(h.size / 2) + 1;
  const uncovered = h.requireFullCoverage && h.slotsServed < 16384;
  return { state: minority || uncovered ? 'fail' : 'ok', minority };
}

export function rejoinDelayMs(nodeTimeoutMs: number): number {
  return Math.min(MAX_REJOIN_DELAY_MS, Math.max(MIN_REJOIN_DELAY_MS, nodeTimeoutMs));
}
