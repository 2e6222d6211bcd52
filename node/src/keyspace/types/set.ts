// A set value: members in a DenseMap so SRANDMEMBER/SPOP pick in O(1) and
// SSCAN's cursor keeps Redis's guarantee. Redis 7.0 holds a set as an intset
// while every member is a canonical 64-bit integer and there are at most
// set-max-intset-entries of them, else as a hashtable, and (except for
// SPOP's rebuild, see `reencode`) never converts back. We track that as a
// reported encoding; since an intset is sorted, commands that Redis answers
// by walking an intset sort their output (`sortIntMembers`) to match.

import { DenseMap } from '../dense-map.js';
import { stringBytes, type Container } from '../values.js';

export interface SetLimits {
  /** set-max-intset-entries */
  readonly maxIntsetEntries: number;
}

export const DEFAULT_SET_LIMITS: SetLimits = { maxIntsetEntries: 512 };

/** Object header plus the empty DenseMap (Map and two arrays). */
const BASE_BYTES = 200;
/** Per member: a Map entry and two array slots. */
const ENTRY_BYTES = 40;

/** Redis's string2ll acceptance: what an intset may hold. */
export function isCanonicalInt64(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  if (s.charCodeAt(i) === 48 /* 0 */) return n === 1;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n < 19) return true;
  const v = BigInt(s);
  return v <= 9223372036854775807n && v >= -9223372036854775808n;
}

/** Orders canonical integer strings numerically (exact beyond 2^53). */
export function compareIntStrings(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (x !== y) return x < y ? -1 : 1;
  if (Number.isSafeInteger(x)) return 0;
  const bx = BigInt(a);
  const by = BigInt(b);
  return bx < by ? -1 : bx > by ? 1 : 0;
}

/** Sorts members in place if they would form an intset (the order Redis walks one in). */
export function sortIntMembers(members: string[], limits: SetLimits = DEFAULT_SET_LIMITS): string[] {
  if (members.length > limits.maxIntsetEntries) return members;
  for (let i = 0; i < members.length; i++) if (!isCanonicalInt64(members[i]!)) return members;
  return members.sort(compareIntStrings);
}

export class SetValue implements Container {
  readonly type = 'set' as const;
  snapshotHolds = 0;
  bytes = BASE_BYTES;
  private intset = true;

  constructor(readonly map = new DenseMap<true>()) {}

  get size(): number {
    return this.map.size;
  }

  /** True while Redis would hold this set as an intset. */
  get compact(): boolean {
    return this.intset;
  }

  encoding(): string {
    return this.intset ? 'intset' : 'hashtable';
  }

  has(member: string): boolean {
    return this.map.has(member);
  }

  /** Adds member; true if it was new. */
  add(member: string, limits: SetLimits = DEFAULT_SET_LIMITS): boolean {
    if (!this.map.set(member, true)) return false;
    this.bytes += ENTRY_BYTES + stringBytes(member.length);
    if (this.intset && (this.map.size > limits.maxIntsetEntries || !isCanonicalInt64(member))) this.intset = false;
    return true;
  }

  /** Removes member; true if it was there. */
  delete(member: string): boolean {
    if (this.map.delete(member) < 0) return false;
    this.bytes -= ENTRY_BYTES + stringBytes(member.length);
    return true;
  }

  /**
   * Recomputes the encoding from scratch, as when Redis rebuilds a set from
   * its remaining members (SPOP with a count close to the size).
   */
  reencode(limits: SetLimits = DEFAULT_SET_LIMITS): void {
    const keys = this.map.keys;
    let ints = keys.length <= limits.maxIntsetEntries;
    for (let i = 0; ints && i < keys.length; i++) ints = isCanonicalInt64(keys[i]!);
    this.intset = ints;
  }

  /** Members in Redis's iteration order when that order is defined (sorted intset), else ours. */
  members(): string[] {
    const out = this.map.keys.slice();
    if (this.intset) out.sort(compareIntStrings);
    return out;
  }

  clone(): SetValue {
    const c = new SetValue(this.map.clone());
    c.bytes = this.bytes;
    c.intset = this.intset;
    return c;
  }
}
