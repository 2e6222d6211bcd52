// Judges a chaos run: compares the workload's history with what the healed
// cluster holds.
//
// Model: a unique key whose SET was acknowledged must hold its value; a SET
// that failed or timed out may or may not have been applied (either is
// fine, but any other value is corruption). A counter must end at least at
// its number of acknowledged INCRs (fewer means acknowledged increments were
// lost) and at most at the number attempted (more means an increment was
// applied twice or invented), plus one for each INCR that was in flight when
// a fault closed connections: ioredis's Cluster re-sends a command whose
// connection closed before its reply (to the slot's new owner), so an INCR
// applied and replicated just before a kill -9 is applied a second time.
// That is the client's at-least-once retry, not the server's doing; it
// shows in sync mode, where a write waits for its replica before the reply.
// Reads use a fresh client after convergence.

import { Cluster } from 'ioredis';
import type { Workload } from './workload.js';

export interface Verdict {
  readonly setsAttempted: number;
  readonly setsAcked: number;
  readonly setsUndetermined: number;
  /** Acknowledged SETs whose key is missing afterwards. */
  readonly setsLost: number;
  /** Keys holding a value no SET wrote. */
  readonly setsCorrupt: number;
  /** Undetermined SETs that were applied after all. */
  readonly undeterminedApplied: number;
  readonly incrsAttempted: number;
  readonly incrsAcked: number;
  /** Sum over counters of max(0, acked - final). */
  readonly incrsLost: number;
  /** Sum over counters of max(0, final - attempted - in flight at a fault): increments nobody sent. */
  readonly incrsExcess: number;
  /** Sum over counters of max(0, final - attempted), within the re-send allowance (see above). */
  readonly incrsResent: number;
  /** setsLost + incrsLost: acknowledged writes the cluster no longer reflects. */
  readonly ackedWritesLost: number;
  readonly lostExamples: readonly string[];
}

/**
 * `closeInstantsMs`: workload times at which the fault or the heal closed
 * client connections (a kill, a restart); INCRs in flight then may have
 * been re-sent by the client.
 */
export async function verify(w: Workload, seeds: readonly { host: string; port: number }[], closeInstantsMs: readonly number[] = []): Promise<Verdict> {
  const client = new Cluster(seeds.map((s) => ({ host: s.host, port: s.port })), {
    scaleReads: 'master',
    enableAutoPipelining: true,
    redisOptions: { commandTimeout: 5000 },
  });
  client.on('error', () => { /* surfaced by the GETs */ });
  try {
    let setsAcked = 0;
    let setsUndetermined = 0;
    let setsLost = 0;
    let setsCorrupt = 0;
    let undeterminedApplied = 0;
    const lostExamples: string[] = [];
    const ops = [...w.sets.values()].filter((op) => op.endMs > 0);
    const batch = 500;
    for (let i = 0; i < ops.length; i += batch) {
      const slice = ops.slice(i, i + batch);
      const values = await Promise.all(slice.map((op) => client.get(op.key)));
      slice.forEach((op, j) => {
        const v = values[j] ?? null;
        if (op.outcome === 'ack') {
          setsAcked++;
          if (v === null) {
            setsLost++;
            if (lostExamples.length < 5) lostExamples.push(`${op.key} (slot ${op.slot}, acked at +${op.endMs} ms)`);
          } else if (v !== op.value) setsCorrupt++;
        } else {
          setsUndetermined++;
          if (v !== null && v !== op.value) setsCorrupt++;
          if (v === op.value) undeterminedApplied++;
        }
      });
    }
    let incrsAttempted = 0;
    let incrsAcked = 0;
    let incrsLost = 0;
    let incrsExcess = 0;
    let incrsResent = 0;
    const inFlight = new Map<string, number>();
    for (const op of w.writes) {
      if (op.kind !== 'incr') continue;
      const end = op.endMs > 0 ? op.endMs : Infinity;
      if (closeInstantsMs.some((t) => op.startMs <= t && t <= end)) inFlight.set(op.key, (inFlight.get(op.key) ?? 0) + 1);
    }
    for (const [key, t] of w.counters) {
      const final = Number((await client.get(key)) ?? 0);
      incrsAttempted += t.attempted;
      incrsAcked += t.acked;
      // An acknowledged INCR that returned n proves n increments were applied before it.
      const floor = Math.max(t.acked, t.maxSeen);
      if (final < floor) {
        incrsLost += floor - final;
        if (lostExamples.length < 8) lostExamples.push(`${key}: ${final} < ${floor} acknowledged`);
      }
      if (final > t.attempted) {
        const resendable = inFlight.get(key) ?? 0;
        incrsResent += Math.min(final - t.attempted, resendable);
        incrsExcess += Math.max(0, final - t.attempted - resendable);
      }
    }
    return {
      setsAttempted: w.sets.size, setsAcked, setsUndetermined, setsLost, setsCorrupt, undeterminedApplied,
      incrsAttempted, incrsAcked, incrsLost, incrsExcess, incrsResent, ackedWritesLost: setsLost + incrsLost, lostExamples,
    };
  } finally {
    client.disconnect();
  }
}
