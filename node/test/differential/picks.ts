// Random picks (SRANDMEMBER, SPOP, HRANDFIELD, ZRANDMEMBER, RANDOMKEY) cannot
// be compared reply to reply: each server picks with its own randomness. The
// runner reads the container on each server just before the pick (the
// "probe", pipelined in front of it), checks that both probes agree, and then
// checks each server's pick against its own probe: membership, count,
// distinctness, and the value paired with each pick.

import { RespError, type RespValue } from '../../src/resp/decoder.js';
import { canon, itemsOf, pairsOf } from './normalise.js';

export interface PickSpec {
  /** What the probe read: SMEMBERS, HGETALL, ZRANGE 0 -1 WITHSCORES, KEYS *. */
  readonly of: 'set' | 'hash' | 'zset' | 'keys';
  /** The count argument if one was given and is an integer, else null. */
  readonly count: bigint | null;
  /** WITHVALUES / WITHSCORES. */
  readonly withValues: boolean;
  /** SPOP: picks are distinct even for a negative count (which is an error anyway). */
  readonly removes: boolean;
}

/** The probed container as name -> canonical value ('' for sets and keys). */
export function universeOf(spec: PickSpec, probe: RespValue): Map<string, string> | string {
  if (probe instanceof RespError) return `probe failed: ${probe.message}`;
  const out = new Map<string, string>();
  if (spec.of === 'set' || spec.of === 'keys') {
    const items = itemsOf(probe);
    if (!items) return `probe reply is not a collection: ${canon(probe)}`;
    for (const x of items) out.set(canon(x), '');
    return out;
  }
  const pairs = pairsOf(probe);
  if (!pairs) return `probe reply is not a list of pairs: ${canon(probe)}`;
  for (const [k, v] of pairs) out.set(canon(k), canon(v));
  return out;
}

/**
 * Checks one server's pick against its own probe. Returns null if the pick is
 * one Redis could have made, else what is wrong with it.
 */
export function checkPick(spec: PickSpec, probe: RespValue, reply: RespValue): string | null {
  if (reply instanceof RespError) return null; // errors are compared between servers instead
  const universe = universeOf(spec, probe);
  if (typeof universe === 'string') return null; // the probe's own error is compared between servers
  if (spec.count === null) {
    if (universe.size === 0) return reply === null ? null : `expected nil from an empty container, got ${canon(reply)}`;
    if (reply === null) return `got nil from a container of ${universe.size}`;
    if (typeof reply !== 'string') return `expected one element, got ${canon(reply)}`;
    return universe.has(canon(reply)) ? null : `${canon(reply)} is not in the container`;
  }
  const picked: [string, string | null][] = [];
  if (spec.withValues) {
    const pairs = pairsOf(reply);
    if (!pairs) return `expected pairs, got ${canon(reply)}`;
    for (const [k, v] of pairs) picked.push([canon(k), canon(v)]);
  } else {
    const items = itemsOf(reply);
    if (!items) return `expected a collection, got ${canon(reply)}`;
    for (const x of items) picked.push([canon(x), null]);
  }
  const n = spec.count;
  const size = BigInt(universe.size);
  const distinct = n >= 0n || spec.removes;
  const abs = n < 0n ? -n : n;
  const expected = universe.size === 0 ? 0n : distinct ? (abs < size ? abs : size) : abs;
  if (BigInt(picked.length) !== expected) return `expected ${expected} picks from a container of ${universe.size}, got ${picked.length}`;
  const seen = new Set<string>();
  for (const [name, value] of picked) {
    if (!universe.has(name)) return `${name} is not in the container`;
    if (value !== null && universe.get(name) !== value) return `${name} paired with ${value}, the container has ${universe.get(name)}`;
    if (distinct && seen.has(name)) return `${name} picked twice`;
    seen.add(name);
  }
  return null;
}

/** The names a pick returned (for SPOP's put-back), or [] for errors and nil. */
export function pickedNames(reply: RespValue): string[] {
  if (typeof reply === 'string') return [reply];
  const items = itemsOf(reply);
  if (!items) return [];
  return items.filter((x): x is string => typeof x === 'string');
}
