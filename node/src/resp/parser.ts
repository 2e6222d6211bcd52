// RespParser turns the bytes of a client connection into commands (arrays of
// latin1 strings). It is incremental: a command may arrive split anywhere, and
// the state of a half-read multibulk is kept, so a long command fed in small
// pieces is not rescanned. A bulk whose length is known is not parsed again
// until all its bytes are here, so a 512 MB value costs one copy. RESTORE's
// huge payload is also turned into its string piece by piece as it arrives,
// and its bytes are lent to the decoder (persistence/lent-bytes.ts), so no
// turn converts the whole of it.
//
// Errors use Redis's words (networking.c) so clients and tests see the same
// strings; after a protocol error Redis replies and closes the connection,
// and so does the caller.

import { splitArgs } from '../core/split-args.js';
import { endLoan, lendBytes } from '../persistence/lent-bytes.js';

const CR = 13;
const LF = 10;
/** Redis's PROTO_INLINE_MAX_SIZE: the longest inline command or count line. */
export const INLINE_MAX_BYTES = 64 * 1024;
/** Bulks at least this long are waited for whole instead of reparsed. */
const BIG_BULK_BYTES = 32 * 1024;
/**
 * Bulks at least this long are copied into one buffer of their size as their
 * chunks arrive, so no single turn copies the whole of a huge value (a 64 MB
 * RESTORE payload) before the latin1 string is made from it.
 */
const HUGE_BULK_BYTES = 1024 * 1024;
/** Room after a huge bulk for the bytes that arrive with its last chunk. */
const HUGE_BULK_SLACK = 1024 * 1024;
/**
 * Piece size of a huge bulk converted as it arrives. Below Node's 1 MB
 * threshold for external strings, so each piece is one heap string made in
 * well under a millisecond.
 */
const ROPE_PIECE_BYTES = 512 * 1024;
/**
 * Commands whose huge argument at this position is consumed as bytes
 * (persistence/lent-bytes.ts): built as a rope and its Buffer lent. Other
 * huge arguments (a SET value) stay one flat string: a rope stored in the
 * keyspace would be flattened, in one turn, by its first reader.
 */
const BYTES_ARG_INDEX: ReadonlyMap<string, number> = new Map([
  ['restore', 3],
  ['restore-asking', 3],
]);

export interface CommandSink {
  /** Called for each complete command; return false to pause parsing (blocked client). */
  onCommand(args: string[]): boolean;
  /** A protocol error: the caller replies `-ERR Protocol error: <reason>` and closes. */
  onProtocolError(reason: string): void;
}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkBytes: number;
  /** client-query-buffer-limit: unparsed bytes beyond this close the client. */
  maxQueryBytes: number;
}

/** A huge argument and the bytes it was made from (persistence/lent-bytes.ts). */
interface Loan {
  readonly text: string;
  readonly bytes: Buffer;
}

interface QueuedCommand {
  readonly args: string[];
  readonly loan: Loan | null;
  /** What it counts toward the query buffer limit. */
  readonly bytes: number;
}

/** Per-argument cost of a queued command beyond its bytes (the string and array slot). */
const ARG_OVERHEAD_BYTES = 16;
const EMPTY_COMMAND: QueuedCommand = { args: [], loan: null, bytes: 0 };

export class RespParser {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** Chunks waiting for a big bulk to complete, and their total size. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private needBytes = 0;
  /** A huge bulk being assembled: its buffer and the bytes in it (from the bulk's first byte on). */
  private huge: Buffer | null = null;
  private hugeFill = 0;
  /** For a huge bulk consumed as bytes: the string made so far and the bulk bytes it covers. */
  private rope: string | null = null;
  private ropeBytes = 0;
  /** A completed rope: the next bulk read is this string, with these bytes to lend. */
  private ropeDone: Loan | null = null;
  /** The argument on loan while its command runs. */
  private loan: Loan | null = null;
  /** Argument bytes of the multibulk in progress (query buffer accounting once it is queued). */
  private mbBytes = 0;
  /**
   * Commands parsed while paused (a blocked client's pipeline), run in order
   * on resume. Parsing on while paused keeps each arriving chunk's work
   * bounded: held back as raw bytes, every chunk was concatenated onto all
   * the bytes before it (quadratic: a second 16 MB RESTORE behind a blocked
   * one cost 361 ms of copies, 14 ms per read).
   */
  private ready: QueuedCommand[] = [];
  private readyHead = 0;
  private readyBytes = 0;
  /** A protocol error found behind queued commands: reported after they ran, as Redis would. */
  private deferredError: string | null = null;
  /** Multibulk in progress: remaining arguments and those read so far. */
  private mbRemaining = 0;
  private mbArgs: string[] = [];
  private bulkLen = -1;
  private paused = false;
  private failed = false;
  /** Set by the server when the client reached the query buffer limit. */
  overLimit = false;

  constructor(private readonly limits: ParserLimits) {}

  /** Unparsed bytes held for this connection (for CLIENT LIST qbuf). */
  get pendingBytes(): number {
    return this.buf.length - this.pos + this.waitingBytes + this.hugeFill + this.readyBytes;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  feed(chunk: Buffer, sink: CommandSink): void {
    if (this.failed) return;
    if (this.needBytes >= HUGE_BULK_BYTES && this.waiting.length === 0) {
      if (!this.feedHuge(chunk, sink)) return;
    } else if (this.needBytes > 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      if (this.buf.length - this.pos + this.waitingBytes < this.needBytes) {
        this.checkLimit(sink);
        return;
      }
      this.waiting.unshift(this.buf.subarray(this.pos));
      this.buf = Buffer.concat(this.waiting);
      this.pos = 0;
      this.waiting = [];
      this.waitingBytes = 0;
      this.needBytes = 0;
    } else if (this.pos < this.buf.length) {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.pos = 0;
    } else {
      this.buf = chunk;
      this.pos = 0;
    }
    this.run(sink);
    this.checkLimit(sink);
  }

  /**
   * Appends chunk to the huge bulk being assembled. True once it is complete
   * (this.buf then starts with it, followed by whatever came after it).
   */
  private feedHuge(chunk: Buffer, sink: CommandSink): boolean {
    if (this.huge === null) {
      const start = this.buf.subarray(this.pos);
      this.huge = Buffer.allocUnsafe(this.needBytes + HUGE_BULK_SLACK);
      this.hugeFill = start.copy(this.huge, 0);
      this.buf = EMPTY;
      this.pos = 0;
      const name = (this.mbArgs[0] ?? '').toLowerCase();
      this.rope = BYTES_ARG_INDEX.get(name) === this.mbArgs.length ? '' : null;
      this.ropeBytes = 0;
    }
    const huge = this.huge;
    if (chunk.length > huge.length - this.hugeFill) {
      // More than the slack after the bulk (a very large read): one concat, as for smaller bulks.
      this.buf = Buffer.concat([huge.subarray(0, this.hugeFill), chunk]);
    } else {
      this.hugeFill += chunk.copy(huge, this.hugeFill);
      if (this.hugeFill < this.needBytes) {
        this.growRope(huge, this.hugeFill, false);
        this.checkLimit(sink);
        return false;
      }
      this.buf = huge.subarray(0, this.hugeFill);
    }
    if (this.rope !== null) {
      this.growRope(this.buf, this.buf.length, true);
      this.ropeDone = { text: this.rope, bytes: this.buf.subarray(0, this.bulkLen) };
      this.rope = null;
    }
    this.pos = 0;
    this.huge = null;
    this.hugeFill = 0;
    this.needBytes = 0;
    return true;
  }

  /** Appends the whole pieces of the bulk that `buf` holds up to `filled` (all of it when `last`). */
  private growRope(buf: Buffer, filled: number, last: boolean): void {
    if (this.rope === null) return;
    const end = Math.min(filled, this.bulkLen);
    while (this.ropeBytes < end && (last || end - this.ropeBytes >= ROPE_PIECE_BYTES)) {
      const to = Math.min(end, this.ropeBytes + ROPE_PIECE_BYTES);
      this.rope += buf.latin1Slice(this.ropeBytes, to);
      this.ropeBytes = to;
    }
  }

  /** Continues after a pause (a blocked client was served): the queued commands, then the rest. */
  resume(sink: CommandSink): void {
    this.paused = false;
    while (this.readyHead < this.ready.length && !this.paused) {
      const c = this.ready[this.readyHead]!;
      this.ready[this.readyHead++] = EMPTY_COMMAND;
      this.readyBytes -= c.bytes;
      this.dispatch(c.args, c.loan, sink);
    }
    if (this.readyHead >= this.ready.length) {
      this.ready = [];
      this.readyHead = 0;
    }
    if (this.paused) return;
    if (this.deferredError !== null) {
      const reason = this.deferredError;
      this.deferredError = null;
      sink.onProtocolError(reason);
      return;
    }
    if (!this.failed) this.run(sink);
  }

  /** Holds back the commands after the current one (a client blocks): they are still parsed, and run on resume. */
  pause(): void {
    this.paused = true;
  }

  private checkLimit(sink: CommandSink): void {
    if (this.pendingBytes > this.limits.maxQueryBytes) {
      this.overLimit = true;
      this.fail(sink, 'query buffer limit');
    }
  }

  private fail(sink: CommandSink, reason: string): void {
    // Behind a paused command the error waits its turn (Redis reads no further while a client is blocked).
    const deferred = (this.paused || this.readyHead < this.ready.length) && !this.overLimit;
    this.failed = true;
    this.buf = Buffer.alloc(0);
    this.pos = 0;
    this.waiting = [];
    this.waitingBytes = 0;
    this.huge = null;
    this.hugeFill = 0;
    this.rope = null;
    this.ropeDone = null;
    this.loan = null;
    if (deferred) {
      // The commands before the bad bytes still run (on resume), then the error.
      this.deferredError = reason;
      return;
    }
    this.ready = [];
    this.readyHead = 0;
    this.readyBytes = 0;
    sink.onProtocolError(reason);
  }

  private run(sink: CommandSink): void {
    const buf = this.buf;
    const end = buf.length;
    while (this.pos < end && !this.failed) {
      if (this.mbRemaining === 0) {
        const first = buf[this.pos];
        if (first === 0x2a /* '*' */) {
          if (!this.readMultibulkCount(sink)) break;
          if (this.mbRemaining === 0) continue; // *0 or *-1: nothing to run
        } else {
          if (!this.readInline(sink)) break;
          continue;
        }
      }
      if (!this.readBulks(sink)) break;
    }
    if (this.pos >= end && this.mbRemaining === 0) {
      this.buf = EMPTY;
      this.pos = 0;
    }
  }

  /** Parses `*<n>\r\n`; false when more bytes are needed or on error. */
  private readMultibulkCount(sink: CommandSink): boolean {
    const buf = this.buf;
    const cr = buf.indexOf(CR, this.pos + 1);
    if (cr < 0 || cr + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX_BYTES) this.fail(sink, 'too big mbulk count string');
      return false;
    }
    if (cr - this.pos > INLINE_MAX_BYTES) {
      this.fail(sink, 'too big mbulk count string');
      return false;
    }
    const n = parseDecimal(buf, this.pos + 1, cr);
    if (n === null || n > 2147483647) {
      this.fail(sink, 'invalid multibulk length');
      return false;
    }
    this.pos = cr + 2;
    this.mbRemaining = n > 0 ? n : 0;
    this.mbArgs = [];
    this.mbBytes = 0;
    this.bulkLen = -1;
    return true;
  }

  /** Reads as many bulks of the current multibulk as are complete. */
  private readBulks(sink: CommandSink): boolean {
    const buf = this.buf;
    const end = buf.length;
    while (this.mbRemaining > 0) {
      if (this.bulkLen < 0) {
        if (this.pos >= end) return false;
        const cr = buf.indexOf(CR, this.pos);
        if (cr < 0 || cr + 1 >= end) {
          if (end - this.pos > INLINE_MAX_BYTES) this.fail(sink, 'too big bulk count string');
          return false;
        }
        if (buf[this.pos] !== 0x24 /* '$' */) {
          this.fail(sink, `expected '$', got '${String.fromCharCode(buf[this.pos] ?? 0)}'`);
          return false;
        }
        if (cr - this.pos > INLINE_MAX_BYTES) {
          this.fail(sink, 'too big bulk count string');
          return false;
        }
        const len = parseDecimal(buf, this.pos + 1, cr);
        if (len === null || len < 0 || len > this.limits.maxBulkBytes) {
          this.fail(sink, 'invalid bulk length');
          return false;
        }
        this.pos = cr + 2;
        this.bulkLen = len;
      }
      const len = this.bulkLen;
      if (end - this.pos < len + 2) {
        if (len >= BIG_BULK_BYTES) this.needBytes = len + 2;
        return false;
      }
      const done = this.ropeDone;
      if (done !== null) {
        // feedHuge made this bulk's string already; it starts this buffer.
        this.ropeDone = null;
        this.loan = done;
        this.mbArgs.push(done.text);
      } else {
        this.mbArgs.push(buf.latin1Slice(this.pos, this.pos + len));
      }
      this.pos += len + 2;
      this.mbBytes += len + ARG_OVERHEAD_BYTES;
      this.bulkLen = -1;
      this.mbRemaining--;
    }
    const args = this.mbArgs;
    this.mbArgs = [];
    const loan = this.loan;
    this.loan = null;
    this.deliver(args, loan, this.mbBytes, sink);
    return true;
  }

  /** Runs a parsed command now, or queues it behind a pause. */
  private deliver(args: string[], loan: Loan | null, bytes: number, sink: CommandSink): void {
    if (this.paused || this.readyHead < this.ready.length) {
      this.ready.push({ args, loan, bytes });
      this.readyBytes += bytes;
      return;
    }
    this.dispatch(args, loan, sink);
  }

  /** Calls the sink, with the command's huge argument's bytes on loan while it runs. */
  private dispatch(args: string[], loan: Loan | null, sink: CommandSink): void {
    if (loan === null) {
      if (!sink.onCommand(args)) this.paused = true;
      return;
    }
    lendBytes(loan.text, loan.bytes);
    try {
      if (!sink.onCommand(args)) this.paused = true;
    } finally {
      endLoan();
    }
  }

  /** Parses one inline command line; false when more bytes are needed or on error. */
  private readInline(sink: CommandSink): boolean {
    const buf = this.buf;
    const lf = buf.indexOf(LF, this.pos);
    if (lf < 0) {
      if (buf.length - this.pos > INLINE_MAX_BYTES) this.fail(sink, 'too big inline request');
      return false;
    }
    if (lf - this.pos > INLINE_MAX_BYTES) {
      this.fail(sink, 'too big inline request');
      return false;
    }
    let lineEnd = lf;
    if (lineEnd > this.pos && buf[lineEnd - 1] === CR) lineEnd--;
    const line = buf.latin1Slice(this.pos, lineEnd);
    this.pos = lf + 1;
    const args = splitArgs(line);
    if (args === null) {
      this.fail(sink, 'unbalanced quotes in request');
      return false;
    }
    if (args.length === 0) return true;
    this.deliver(args, null, line.length + ARG_OVERHEAD_BYTES * args.length, sink);
    return true;
  }
}

const EMPTY = Buffer.alloc(0);

/** Strict decimal parse of buf[start, end): optional '-', digits only. */
function parseDecimal(buf: Buffer, start: number, end: number): number | null {
  if (start >= end) return null;
  let neg = false;
  let i = start;
  if (buf[i] === 0x2d) {
    neg = true;
    i++;
    if (i >= end) return null;
  }
  if (end - i > 15) return null;
  let n = 0;
  for (; i < end; i++) {
    const c = buf[i]! - 0x30;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return neg ? -n : n;
}
