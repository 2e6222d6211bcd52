// The replication backlog: the last `capacityBytes` bytes of the replication
// stream, kept in a ring buffer so a replica that lost its link for a moment
// can resume from its offset (a partial resync) instead of a full sync.
//
// Offsets are absolute stream positions: `endOffset` is master_repl_offset
// (bytes ever written), and the buffer holds [startOffset, endOffset).
// Redis reports repl_backlog_first_byte_offset one-based (startOffset + 1);
// the INFO adapter adds that one. Pure: no I/O, no clock.

import { strict as assert } from 'node:assert';

export class Backlog {
  private buf: Buffer;
  /** Where the next byte goes in `buf`. */
  private writeIdx = 0;
  /** Bytes held (repl_backlog_histlen), at most capacity. */
  private held = 0;
  /** Absolute offset after the last byte written (master_repl_offset). */
  endOffset: number;

  constructor(capacityBytes: number, startOffset = 0) {
    assert(Number.isSafeInteger(capacityBytes) && capacityBytes > 0, 'backlog capacity must be a positive integer');
    this.buf = Buffer.alloc(capacityBytes);
    this.endOffset = startOffset;
  }

  get capacityBytes(): number {
    return this.buf.length;
  }

  /** Bytes currently held (Redis's repl_backlog_histlen). */
  get historyBytes(): number {
    return this.held;
  }

  /** Absolute offset of the oldest byte held. */
  get startOffset(): number {
    return this.endOffset - this.held;
  }

  /** Appends stream bytes; the oldest bytes fall out once the ring is full. */
  append(data: Buffer): void {
    const cap = this.buf.length;
    this.endOffset += data.length;
    if (data.length >= cap) {
      // Only the tail fits: the ring restarts holding exactly it.
      data.copy(this.buf, 0, data.length - cap);
      this.writeIdx = 0;
      this.held = cap;
      return;
    }
    const first = Math.min(data.length, cap - this.writeIdx);
    data.copy(this.buf, this.writeIdx, 0, first);
    if (first < data.length) data.copy(this.buf, 0, first);
    this.writeIdx = (this.writeIdx + data.length) % cap;
    this.held = Math.min(cap, this.held + data.length);
  }

  /** Whether the bytes from `offset` to the end are all still held (a partial resync can serve it). */
  canServeFrom(offset: number): boolean {
    return offset >= this.startOffset && offset <= this.endOffset;
  }

  /** A copy of the stream bytes [from, endOffset); asserts they are held. */
  readFrom(from: number): Buffer {
    assert(this.canServeFrom(from), `backlog does not hold offset ${from} (holds ${this.startOffset}..${this.endOffset})`);
    const len = this.endOffset - from;
    const out = Buffer.allocUnsafe(len);
    if (len === 0) return out;
    const cap = this.buf.length;
    // Index in the ring of absolute offset `from`.
    const startIdx = (this.writeIdx - len + cap * 2) % cap;
    const first = Math.min(len, cap - startIdx);
    this.buf.copy(out, 0, startIdx, startIdx + first);
    if (first < len) this.buf.copy(out, first, 0, len - first);
    return out;
  }

  /**
   * CONFIG SET repl-backlog-size: keeps as much of the newest history as fits.
   * Redis drops the history on resize; keeping it is strictly more useful.
   */
  resize(capacityBytes: number): void {
    assert(Number.isSafeInteger(capacityBytes) && capacityBytes > 0, 'backlog capacity must be a positive integer');
    if (capacityBytes === this.buf.length) return;
    const keep = Math.min(this.held, capacityBytes);
    const tail = this.readFrom(this.endOffset - keep);
    this.buf = Buffer.alloc(capacityBytes);
    tail.copy(this.buf, 0);
    this.writeIdx = keep % capacityBytes;
    this.held = keep;
  }
}
