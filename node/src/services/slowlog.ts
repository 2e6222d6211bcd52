// The slow log: commands whose execution took at least
// slowlog-log-slower-than microseconds, newest first, capped at
// slowlog-max-len entries. Arguments are trimmed as Redis trims them so a
// huge MSET cannot make the log itself a memory problem.

import { borrowBytes } from '../persistence/lent-bytes.js';

/** Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING. */
export const SLOWLOG_MAX_ARGS = 32;
export const SLOWLOG_MAX_ARG_BYTES = 128;

export interface SlowlogEntry {
  readonly id: number;
  /** Unix time in seconds when the command ran. */
  readonly timestampSec: number;
  readonly durationMicros: number;
  readonly args: readonly string[];
  /** "ip:port" of the client. */
  readonly clientAddr: string;
  readonly clientName: string;
}

export class SlowLog {
  /** Newest first. */
  private entries: SlowlogEntry[] = [];
  private nextId = 0;
  /** slowlog-log-slower-than: < 0 disables the log, 0 logs every command. */
  slowerThanMicros = 10000;
  /** slowlog-max-len */
  maxLen = 128;

  get length(): number {
    return this.entries.length;
  }

  /** Records a command if it was slow enough. */
  record(e: { nowMs: number; durationMicros: number; args: readonly string[]; clientAddr: string; clientName: string }): void {
    if (this.slowerThanMicros < 0 || e.durationMicros < this.slowerThanMicros) return;
    this.entries.unshift({
      id: this.nextId++,
      timestampSec: Math.floor(e.nowMs / 1000),
      durationMicros: Math.floor(e.durationMicros),
      args: trimArgs(e.args),
      clientAddr: e.clientAddr,
      clientName: e.clientName,
    });
    this.trim(this.maxLen);
  }

  /** Drops the oldest entries beyond maxLen (also when slowlog-max-len shrinks). */
  trim(maxLen: number): void {
    if (this.entries.length > maxLen) this.entries.length = Math.max(0, maxLen);
  }

  /** The newest `count` entries; count < 0 means all. */
  latest(count: number): readonly SlowlogEntry[] {
    return count < 0 ? this.entries : this.entries.slice(0, count);
  }

  reset(): void {
    this.entries = [];
  }
}

function trimArgs(args: readonly string[]): string[] {
  const n = Math.min(args.length, SLOWLOG_MAX_ARGS);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    if (n !== args.length && i === n - 1) {
      out.push(`... (${args.length - SLOWLOG_MAX_ARGS + 1} more arguments)`);
      break;
    }
    const a = args[i]!;
    if (a.length <= SLOWLOG_MAX_ARG_BYTES) {
      out.push(a);
      continue;
    }
    // A huge RESTORE payload is a string built piece by piece; slicing it would flatten (copy) all of it.
    const head = borrowBytes(a)?.latin1Slice(0, SLOWLOG_MAX_ARG_BYTES) ?? a.slice(0, SLOWLOG_MAX_ARG_BYTES);
    out.push(`${head}... (${a.length - SLOWLOG_MAX_ARG_BYTES} more bytes)`);
  }
  return out;
}
