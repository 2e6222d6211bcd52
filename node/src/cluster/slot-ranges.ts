// Slot ownership as sorted, disjoint, inclusive ranges. A primary usually owns
// a handful of contiguous blocks, so ranges are a few bytes where Redis's
// bitmap is 2 KB, both in memory and on the wire. All functions are pure and
// return new arrays; inputs are never mutated.

import { assert } from '../core/errors.js';
import { SLOT_COUNT, type SlotRange } from './types.js';

export function isValidSlot(slot: number): boolean {
  return Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT;
}

function checkRange(r: SlotRange): void {
  assert(isValidSlot(r[0]) && isValidSlot(r[1]) && r[0] <= r[1], `slot range [${r[0]}, ${r[1]}] within 0..16383`);
}

/** Sorted, merged ranges covering exactly the given slots (duplicates allowed). */
export function rangesFromSlots(slots: Iterable<number>): SlotRange[] {
  const sorted = [...slots].sort((a, b) => a - b);
  const out: [number, number][] = [];
  for (const s of sorted) {
    assert(isValidSlot(s), `slot ${s} < 16384`);
    const last = out[out.length - 1];
    if (last && s <= last[1] + 1) last[1] = Math.max(last[1], s);
    else out.push([s, s]);
  }
  return out;
}

/** Sorts and merges arbitrary (possibly overlapping) ranges. */
export function normalizeRanges(ranges: readonly SlotRange[]): SlotRange[] {
  const sorted = ranges.map((r) => (checkRange(r), [r[0], r[1]] as [number, number])).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** True when sorted, disjoint and not adjacent (what normalizeRanges returns). */
function isNormalized(ranges: readonly SlotRange[]): boolean {
  for (let i = 1; i < ranges.length; i++) if (ranges[i]![0] <= ranges[i - 1]![1] + 1) return false;
  return true;
}

/**
 * normalizeRanges([...ranges, r]). For normalized input (a record's slots
 * always are) without the copy and sort: find where r goes by binary
 * search and merge it with the neighbours it touches. SETSLOT NODE adds one
 * slot at a time to a node that may hold thousands of ranges.
 */
export function addRange(ranges: readonly SlotRange[], r: SlotRange): SlotRange[] {
  checkRange(r);
  if (!isNormalized(ranges)) return normalizeRanges([...ranges, r]);
  // The first range that ends at or after r's start - 1: the first one r may merge with.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid]![1] < r[0] - 1) lo = mid + 1;
    else hi = mid;
  }
  let start = r[0];
  let end = r[1];
  let j = lo;
  for (; j < ranges.length && ranges[j]![0] <= end + 1; j++) {
    start = Math.min(start, ranges[j]![0]);
    end = Math.max(end, ranges[j]![1]);
  }
  const out = ranges.slice(0, lo);
  out.push([start, end]);
  for (; j < ranges.length; j++) out.push(ranges[j]!);
  return out;
}

export function removeRange(ranges: readonly SlotRange[], r: SlotRange): SlotRange[] {
  checkRange(r);
  const out: SlotRange[] = [];
  for (const [a, b] of ranges) {
    if (b < r[0] || a > r[1]) {
      out.push([a, b]);
      continue;
    }
    if (a < r[0]) out.push([a, r[0] - 1]);
    if (b > r[1]) out.push([r[1] + 1, b]);
  }
  return out;
}

export function rangesContain(ranges: readonly SlotRange[], slot: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid]!;
    if (slot < r[0]) hi = mid - 1;
    else if (slot > r[1]) lo = mid + 1;
    else return true;
  }
  return false;
}

export function slotCount(ranges: readonly SlotRange[]): number {
  let n = 0;
  for (const [a, b] of ranges) n += b - a + 1;
  return n;
}

export function* slotsOf(ranges: readonly SlotRange[]): Generator<number> {
  for (const [a, b] of ranges) for (let s = a; s <= b; s++) yield s;
}

export function rangesEqual(x: readonly SlotRange[], y: readonly SlotRange[]): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]![0] !== y[i]![0] || x[i]![1] !== y[i]![1]) return false;
  return true;
}

/** FNV-1a over 32-bit words: the digest primitive for slots and membership. */
export function fnvWords(words: readonly number[], seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (const w of words) {
    for (let k = 0; k < 4; k++) {
      h ^= (w >>> (k * 8)) & 0xff;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}

export function fnvString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i) & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Digest of (configEpoch, slots): what NodeHeader.slotsDigest carries. */
export function slotsDigest(configEpoch: number, ranges: readonly SlotRange[]): number {
  const words: number[] = [configEpoch >>> 0, Math.floor(configEpoch / 2 ** 32) >>> 0];
  for (const [a, b] of ranges) words.push((a << 16) | b);
  return fnvWords(words);
}

/** "0-5460 5462 ..." as CLUSTER NODES and transcripts write ranges. */
export function formatRanges(ranges: readonly SlotRange[]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(' ');
}

export function parseRanges(text: string): SlotRange[] {
  const out: SlotRange[] = [];
  for (const part of text.split(/[ ,]+/).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    assert(m, `slot range syntax: ${part}`);
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    out.push([a, b]);
  }
  return normalizeRanges(out);
}
