// Server-wide counters that INFO stats/commandstats/errorstats report.

export interface CommandStat {
  calls: number;
  usec: number;
  rejectedCalls: number;
  failedCalls: number;
  /** The command's latency histogram, cached here so a call does no lookup by name. */
  latency: { record(ns: number): void } | null;
}

export class ServerStats {
  totalConnectionsReceived = 0;
  totalCommandsProcessed = 0;
  rejectedConnections = 0;
  totalErrorReplies = 0;
  totalNetInputBytes = 0;
  totalNetOutputBytes = 0;
  /** Full command name ("get", "config|get") to its counters. */
  readonly commands = new Map<string, CommandStat>();
  /** Error code (ERR, WRONGTYPE...) to count. */
  readonly errors = new Map<string, number>();

  commandStat(fullName: string): CommandStat {
    let st = this.commands.get(fullName);
    if (!st) {
      st = { calls: 0, usec: 0, rejectedCalls: 0, failedCalls: 0, latency: null };
      this.commands.set(fullName, st);
    }
    return st;
  }

  countError(code: string): void {
    this.totalErrorReplies++;
    // Redis caps distinct error codes at 128 to bound memory.
    const n = this.errors.get(code);
    if (n !== undefined) this.errors.set(code, n + 1);
    else if (this.errors.size < 128) this.errors.set(code, 1);
  }

  /** Called by reset() (CONFIG RESETSTAT), for statistics kept elsewhere (latency histograms). */
  readonly resetListeners: (() => void)[] = [];

  reset(): void {
    for (const l of this.resetListeners) l();
    this.totalConnectionsReceived = 0;
    this.totalCommandsProcessed = 0;
    this.rejectedConnections = 0;
    this.totalErrorReplies = 0;
    this.totalNetInputBytes = 0;
    this.totalNetOutputBytes = 0;
    // Entries are zeroed, not dropped: compiled commands hold references to them.
    for (const st of this.commands.values()) {
      st.calls = 0;
      st.usec = 0;
      st.rejectedCalls = 0;
      st.failedCalls = 0;
    }
    this.errors.clear();
  }
}
