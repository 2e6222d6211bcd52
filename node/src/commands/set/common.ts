// Shared by the set commands: typed lookups with Redis's read/write
// semantics (hits and misses are counted only on reads, as lookupKeyRead
// does), the intset threshold from the configuration, and the multi-key
// algebra behind SINTER*, SUNION* and SDIFF*.

import { readTyped, writeTypedIn } from '../lookup.js';
import type { Config } from '../../config/config.js';
import { DEFAULT_SET_LIMITS, SetValue, type SetLimits } from '../../keyspace/types/set.js';
import type { Session } from '../session.js';

interface MutableSetLimits {
  maxIntsetEntries: number;
}

const limitsByConfig = new WeakMap<Config, MutableSetLimits>();

/**
 * The set encoding threshold of this node. Cached per Config and refreshed
 * on CONFIG SET, so the hot path pays one WeakMap lookup instead of parsing.
 */
export function setLimits(config: Config): SetLimits {
  let l = limitsByConfig.get(config);
  if (l === undefined) {
    const limits: MutableSetLimits = { ...DEFAULT_SET_LIMITS };
    const refresh = (): void => {
      const v = config.get('set-max-intset-entries');
      const n = v === undefined ? NaN : Number(v);
      limits.maxIntsetEntries = Number.isFinite(n) ? n : DEFAULT_SET_LIMITS.maxIntsetEntries;
    };
    refresh();
    config.onChange((name) => {
      if (name.startsWith('set-max-')) refresh();
    });
    limitsByConfig.set(config, limits);
    l = limits;
  }
  return l;
}

/** lookupKeyRead + checkType: undefined if missing; throws WRONGTYPE. */
export function readSet(s: Session, key: string): SetValue | undefined {
  return readTyped(s, key, SetValue);
}

/** lookupKeyWrite + checkType: no hit/miss counting. */
export function writeSet(s: Session, key: string): SetValue | undefined {
  return writeTypedIn(s.db, key, s.node.keyspace.nowMs, SetValue);
}

/** After removing members from an existing set: deletes it when empty (with "del"), else signals the change. */
export function commitShrunkSet(s: Session, key: string, set: SetValue): void {
  if (set.size === 0) {
    s.db.delete(key);
    s.notify('g', 'del', key);
  } else s.db.changed(key);
}

/** Writes a set reply of members. */
export function replyMembers(s: Session, members: readonly string[]): void {
  s.out.set(members.length);
  for (let i = 0; i < members.length; i++) s.out.bulk(members[i]!);
}

/**
 * The *STORE ending: stores a non-empty result (dropping any TTL, as setKey
 * does) with `event`, or deletes the destination for an empty one.
 */
export function storeResult(s: Session, dst: string, result: SetValue, event: string): void {
  if (result.size > 0) {
    s.db.set(dst, result);
    s.notify('s', event, dst);
    s.out.int(result.size);
    return;
  }
  if (s.db.exists(dst, s.nowMs)) {
    s.db.delete(dst);
    s.notify('g', 'del', dst);
  }
  s.out.int(0);
}

/**
 * Intersection of the sets at `keys` (every key is looked up and type-checked
 * first, a missing one being empty). Walks the smallest set, in intset order
 * when it is one, as Redis does; stops after `limit` members when limit > 0.
 */
export function intersect(s: Session, keys: readonly string[], limit: number): string[] {
  const sets: SetValue[] = [];
  let empty = false;
  for (let i = 0; i < keys.length; i++) {
    const set = readSet(s, keys[i]!);
    if (set === undefined) empty = true;
    else sets.push(set);
  }
  if (empty) return [];
  sets.sort((a, b) => a.size - b.size);
  const smallest = sets[0]!;
  const candidates = smallest.compact ? smallest.members() : smallest.map.keys;
  const out: string[] = [];
  for (let i = 0; i < candidates.length; i++) {
    const m = candidates[i]!;
    let inAll = true;
    for (let j = 1; j < sets.length && inAll; j++) inAll = sets[j]!.has(m);
    if (inAll) {
      out.push(m);
      if (limit > 0 && out.length >= limit) break;
    }
  }
  return out;
}

/** Union (diff = false) or difference of the sets at `keys`, as a new set with Redis's encoding. */
export function unionOrDiff(s: Session, keys: readonly string[], diff: boolean): SetValue {
  const sets: (SetValue | undefined)[] = [];
  for (let i = 0; i < keys.length; i++) sets.push(readSet(s, keys[i]!));
  const limits = setLimits(s.node.config);
  const result = new SetValue();
  if (!diff) {
    for (const set of sets) {
      if (set === undefined) continue;
      const members = set.map.keys;
      for (let i = 0; i < members.length; i++) result.add(members[i]!, limits);
    }
    return result;
  }
  const first = sets[0];
  if (first === undefined) return result;
  const members = first.map.keys;
  for (let i = 0; i < members.length; i++) {
    const m = members[i]!;
    let keep = true;
    for (let j = 1; j < sets.length && keep; j++) {
      const other = sets[j];
      if (other !== undefined && other.has(m)) keep = false;
    }
    if (keep) result.add(m, limits);
  }
  return result;
}
