// Failure reports: which primaries said a node is PFAIL or FAIL, and when.
// A report is valid for 2 x node timeout (Redis's CLUSTER_FAIL_REPORT_VALIDITY_MULT);
// FAIL needs reports from a majority of the slot-owning primaries, counting
// this node itself when it is one and suspects the node too.

export const FAIL_REPORT_VALIDITY_MULT = 2;

export class FailureReports {
  private readonly reports = new Map<string, Map<string, number>>();

  add(suspectId: string, reporterId: string, nowMs: number): void {
    let m = this.reports.get(suspectId);
    if (!m) this.reports.set(suspectId, (m = new Map()));
    m.set(reporterId, nowMs);
  }

  remove(suspectId: string, reporterId: string): void {
    const m = this.reports.get(suspectId);
    if (!m) return;
    m.delete(reporterId);
    if (m.size === 0) this.reports.delete(suspectId);
  }

  /** Forget every report about a node and every report a node made. */
  forgetNode(id: string): void {
    this.reports.delete(id);
    for (const [suspect, m] of this.reports) {
      m.delete(id);
      if (m.size === 0) this.reports.delete(suspect);
    }
  }

  /** Reporters still valid at nowMs, after dropping expired reports. */
  valid(suspectId: string, nowMs: number, nodeTimeoutMs: number): string[] {
    const m = this.reports.get(suspectId);
    if (!m) return [];
    const maxAgeMs = nodeTimeoutMs * FAIL_REPORT_VALIDITY_MULT;
    for (const [reporter, atMs] of m) if (nowMs - atMs > maxAgeMs) m.delete(reporter);
    if (m.size === 0) this.reports.delete(suspectId);
    return [...m.keys()];
  }

  has(suspectId: string): boolean {
    return this.reports.has(suspectId);
  }
}

/** Redis's needed_quorum: a strict majority of the primaries that own slots. */
export function failQuorum(slotOwningPrimaries: number): number {
  return Math.floor(slotOwningPrimaries / 2) + 1;
}
