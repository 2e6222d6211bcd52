// A list value: a growable ring buffer of latin1 strings, so pushes and pops
// at both ends are amortised O(1) and LINDEX/LSET/LRANGE reach any element in
// O(1), which is at least as good as Redis's quicklist (O(N) to the middle).
// Insertions and removals in the middle shift the shorter side, as LINSERT and
// LREM are O(N) in Redis too.
//
// Redis 7.0 always reports the "quicklist" encoding for lists (the listpack
// encoding for small lists arrived in 7.2), whatever list-max-listpack-size
// says, so that is what encoding() answers.

import { stringBytes, type Container } from '../values.js';

/** Smallest ring capacity; a power of two so an index wraps with a mask. */
const MIN_CAPACITY = 8;
/** Object header, the backing array's header and the ring's fields. */
const BASE_BYTES = 96;
/** One array slot (a tagged pointer). */
const SLOT_BYTES = 8;

export class ListValue implements Container {
  readonly type = 'list' as const;
  snapshotHolds = 0;
  private ring: string[];
  private head = 0;
  private len = 0;
  private mask: number;
  /** Sum of stringBytes over the elements. */
  private elementBytes = 0;

  constructor(capacity = MIN_CAPACITY) {
    let cap = MIN_CAPACITY;
    while (cap < capacity) cap *= 2;
    this.ring = new Array<string>(cap).fill('');
    this.mask = cap - 1;
  }

  get size(): number {
    return this.len;
  }

  get bytes(): number {
    return BASE_BYTES + this.ring.length * SLOT_BYTES + this.elementBytes;
  }

  encoding(): string {
    return 'quicklist';
  }

  clone(): ListValue {
    const c = new ListValue(this.len);
    for (let i = 0; i < this.len; i++) c.pushBack(this.at(i));
    return c;
  }

  /** Element at index 0 <= i < size (the caller normalises negative indices). */
  at(i: number): string {
    return this.ring[(this.head + i) & this.mask]!;
  }

  /** Replaces the element at 0 <= i < size. */
  setAt(i: number, v: string): void {
    const slot = (this.head + i) & this.mask;
    this.elementBytes += stringBytes(v.length) - stringBytes(this.ring[slot]!.length);
    this.ring[slot] = v;
  }

  pushFront(v: string): void {
    if (this.len === this.ring.length) this.resize(this.ring.length * 2);
    this.head = (this.head - 1) & this.mask;
    this.ring[this.head] = v;
    this.len++;
    this.elementBytes += stringBytes(v.length);
  }

  pushBack(v: string): void {
    if (this.len === this.ring.length) this.resize(this.ring.length * 2);
    this.ring[(this.head + this.len) & this.mask] = v;
    this.len++;
    this.elementBytes += stringBytes(v.length);
  }

  popFront(): string | undefined {
    if (this.len === 0) return undefined;
    const v = this.ring[this.head]!;
    // Clear the slot so the string can be collected.
    this.ring[this.head] = '';
    this.head = (this.head + 1) & this.mask;
    this.len--;
    this.elementBytes -= stringBytes(v.length);
    this.maybeShrink();
    return v;
  }

  popBack(): string | undefined {
    if (this.len === 0) return undefined;
    const slot = (this.head + this.len - 1) & this.mask;
    const v = this.ring[slot]!;
    this.ring[slot] = '';
    this.len--;
    this.elementBytes -= stringBytes(v.length);
    this.maybeShrink();
    return v;
  }

  /** Inserts v so that it ends up at index 0 <= i <= size, shifting the shorter side. */
  insertAt(i: number, v: string): void {
    if (this.len === this.ring.length) this.resize(this.ring.length * 2);
    const ring = this.ring;
    const mask = this.mask;
    if (i < this.len - i) {
      this.head = (this.head - 1) & mask;
      for (let j = 0; j < i; j++) ring[(this.head + j) & mask] = ring[(this.head + j + 1) & mask]!;
    } else {
      for (let j = this.len; j > i; j--) ring[(this.head + j) & mask] = ring[(this.head + j - 1) & mask]!;
    }
    ring[(this.head + i) & mask] = v;
    this.len++;
    this.elementBytes += stringBytes(v.length);
  }

  /** Index of the first element equal to v, or -1. */
  indexOf(v: string): number {
    for (let i = 0; i < this.len; i++) if (this.at(i) === v) return i;
    return -1;
  }

  /**
   * LREM: removes up to `limit` elements equal to v (all if limit is 0),
   * scanning from the head, or from the tail when `fromTail`. Only the part of
   * the ring between the end scanned from and the farthest removal moves, so
   * removing near an end costs little. Returns how many were removed.
   */
  remove(v: string, limit: number, fromTail: boolean): number {
    const n = this.len;
    let found = 0;
    let far = -1;
    if (!fromTail) {
      for (let i = 0; i < n && (limit === 0 || found < limit); i++) {
        if (this.at(i) === v) {
          found++;
          far = i;
        }
      }
      if (found === 0) return 0;
      // Compact [0, far] towards the tail; the head moves forward by `found`.
      let w = far;
      for (let r = far; r >= 0; r--) {
        const e = this.at(r);
        if (e === v) continue;
        this.ring[(this.head + w) & this.mask] = e;
        w--;
      }
      for (let k = 0; k < found; k++) this.ring[(this.head + k) & this.mask] = '';
      this.head = (this.head + found) & this.mask;
    } else {
      for (let i = n - 1; i >= 0 && (limit === 0 || found < limit); i--) {
        if (this.at(i) === v) {
          found++;
          far = i;
        }
      }
      if (found === 0) return 0;
      // Compact [far, n-1] towards the head; the tail moves back by `found`.
      let w = far;
      for (let r = far; r < n; r++) {
        const e = this.at(r);
        if (e === v) continue;
        this.ring[(this.head + w) & this.mask] = e;
        w++;
      }
      for (let k = n - found; k < n; k++) this.ring[(this.head + k) & this.mask] = '';
    }
    this.len -= found;
    this.elementBytes -= found * stringBytes(v.length);
    this.maybeShrink();
    return found;
  }

  /** LTRIM: removes `front` elements from the head and `back` from the tail (front + back <= size). */
  trim(front: number, back: number): void {
    for (let k = 0; k < front; k++) {
      const slot = (this.head + k) & this.mask;
      this.elementBytes -= stringBytes(this.ring[slot]!.length);
      this.ring[slot] = '';
    }
    this.head = (this.head + front) & this.mask;
    this.len -= front;
    for (let k = 0; k < back; k++) {
      const slot = (this.head + this.len - 1 - k) & this.mask;
      this.elementBytes -= stringBytes(this.ring[slot]!.length);
      this.ring[slot] = '';
    }
    this.len -= back;
    this.maybeShrink();
  }

  /** The elements from index `from` to `to` inclusive, in order (callers clamp). */
  slice(from: number, to: number): string[] {
    const out = new Array<string>(Math.max(0, to - from + 1));
    for (let i = from; i <= to; i++) out[i - from] = this.at(i);
    return out;
  }

  /** Halves the ring when it is three-quarters empty, so a drained list returns its memory. */
  private maybeShrink(): void {
    const cap = this.ring.length;
    if (cap > MIN_CAPACITY && this.len < cap >>> 2) this.resize(cap >>> 1);
  }

  private resize(cap: number): void {
    const next = new Array<string>(cap).fill('');
    for (let i = 0; i < this.len; i++) next[i] = this.at(i);
    this.ring = next;
    this.head = 0;
    this.mask = cap - 1;
  }
}
