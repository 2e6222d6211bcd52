// How two replies to the same command are compared. Every reply is turned
// into a canonical string that keeps the RESP type (so `:1` and `$1 1`
// differ, as do a RESP3 map and an array); the check of the command then
// decides what may legitimately differ: element order for order-free replies,
// a few seconds for TTLs, the value for OBJECT ENCODING / MEMORY USAGE /
// INFO, the pick for random commands (checked against the server's own state).

import { RespDouble, RespError, RespMap, RespPush, RespSet, RespVerbatim, type RespValue } from '../../src/resp/decoder.js';
import type { Reply } from './client.js';

export type Check =
  /** Value and wire types must be identical. */
  | { readonly kind: 'exact' }
  /** An order-free collection (SMEMBERS, KEYS, SINTER...): compared as sorted multisets. */
  | { readonly kind: 'sorted' }
  /** An order-free list of pairs (HGETALL, CONFIG GET): flat array or map, compared as sorted pairs. */
  | { readonly kind: 'pairs' }
  /** TTL-like integers: negative values exact, non-negative ones within `tolerance` (clock skew between the servers). */
  | { readonly kind: 'ttl'; readonly tolerance: number }
  /** OBJECT ENCODING, MEMORY USAGE, OBJECT IDLETIME/REFCOUNT: error text, nil, or "some value" of the same wire type. */
  | { readonly kind: 'shape' }
  /** TIME: two bulk strings of digits on both sides. */
  | { readonly kind: 'time' }
  /** INFO: values may differ; the section headers may not. */
  | { readonly kind: 'info' }
  /** HELLO: a map (RESP3) or flat array (RESP2) on both sides, or the same error. */
  | { readonly kind: 'hello' };

export const EXACT: Check = { kind: 'exact' };
export const SORTED: Check = { kind: 'sorted' };
export const PAIRS: Check = { kind: 'pairs' };
export const SHAPE: Check = { kind: 'shape' };
export const TIME: Check = { kind: 'time' };
export const INFO: Check = { kind: 'info' };
export const HELLO: Check = { kind: 'hello' };
export const TTL_S: Check = { kind: 'ttl', tolerance: 3 };
export const TTL_MS: Check = { kind: 'ttl', tolerance: 3000 };

/** A canonical, type-preserving rendering of a decoded reply; also what a human reads in the report. */
export function canon(v: RespValue): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'bigint') return `(int ${v})`;
  if (typeof v === 'boolean') return `(bool ${v})`;
  if (Array.isArray(v)) return `[${v.map(canon).join(', ')}]`;
  if (v instanceof RespError) return `(error ${v.message})`;
  if (v instanceof RespMap) return `%{${v.entries.map(([k, x]) => `${canon(k)}: ${canon(x)}`).join(', ')}}`;
  if (v instanceof RespSet) return `~{${v.items.map(canon).join(', ')}}`;
  if (v instanceof RespPush) return `>[${v.items.map(canon).join(', ')}]`;
  if (v instanceof RespDouble) return `(double ${v.text})`;
  if (v instanceof RespVerbatim) return `(verbatim ${v.format} ${JSON.stringify(v.text)})`;
  return `(unknown ${String(v)})`;
}

/** The reply as shown in a report: its canonical value, and its wire types when they matter. */
export function show(r: Reply, withTypes = false): string {
  const s = canon(r.value);
  const shown = s.length > 400 ? `${s.slice(0, 400)}... (${s.length} chars)` : s;
  return withTypes ? `${shown} <wire ${r.types.join(' ')}>` : shown;
}

export function isError(v: RespValue): v is RespError {
  return v instanceof RespError;
}

/** Items of an array-like reply (array, set, push), or null if it is not one. */
export function itemsOf(v: RespValue): RespValue[] | null {
  if (Array.isArray(v)) return v;
  if (v instanceof RespSet || v instanceof RespPush) return v.items;
  return null;
}

/** Pairs of a flat array (k1 v1 k2 v2), an array of 2-element arrays (RESP3 WITHSCORES) or a map. */
export function pairsOf(v: RespValue): [RespValue, RespValue][] | null {
  if (v instanceof RespMap) return v.entries;
  const items = itemsOf(v);
  if (!items) return null;
  if (items.every((x) => Array.isArray(x) && x.length === 2)) return items.map((x) => [(x as RespValue[])[0]!, (x as RespValue[])[1]!]);
  if (items.length % 2 !== 0) return null;
  const out: [RespValue, RespValue][] = [];
  for (let i = 0; i < items.length; i += 2) out.push([items[i]!, items[i + 1]!]);
  return out;
}

function containerTag(v: RespValue): string {
  if (Array.isArray(v)) return 'array';
  if (v instanceof RespSet) return 'set';
  if (v instanceof RespMap) return 'map';
  if (v instanceof RespPush) return 'push';
  return 'scalar';
}

function sortedTypes(r: Reply): string {
  return [...r.types].sort().join(' ');
}

/** The order-free form of a reply under a check, for equality. */
function normalForm(check: Check, r: Reply): string {
  const v = r.value;
  switch (check.kind) {
    case 'sorted': {
      const items = itemsOf(v);
      if (!items) return `${canon(v)} <wire ${r.types.join(' ')}>`;
      return `${containerTag(v)}{${items.map(canon).sort().join(', ')}} <wire ${sortedTypes(r)}>`;
    }
    case 'pairs': {
      const pairs = v instanceof RespError || v === null ? null : pairsOf(v);
      if (!pairs) return `${canon(v)} <wire ${r.types.join(' ')}>`;
      const body = pairs.map(([k, x]) => `${canon(k)}: ${canon(x)}`).sort().join(', ');
      return `${containerTag(v)}{${body}} <wire ${sortedTypes(r)}>`;
    }
    default:
      return `${canon(v)} <wire ${r.types.join(' ')}>`;
  }
}

function shapeOf(r: Reply): string {
  const v = r.value;
  if (v instanceof RespError) return canon(v);
  if (v === null) return `nil <wire ${r.types.join(' ')}>`;
  return `some value <wire ${r.types[0] ?? '?'}>`;
}

function sectionsOf(v: RespValue): string[] | null {
  const text = typeof v === 'string' ? v : v instanceof RespVerbatim ? v.text : null;
  if (text === null) return null;
  return text.split('\r\n').filter((l) => l.startsWith('# ')).map((l) => l.slice(2).toLowerCase());
}

/**
 * Compares two replies to one command under a check. Returns null when they
 * count as equal, else a short reason for the report.
 */
export function compareReplies(check: Check, redis: Reply, tessera: Reply): string | null {
  switch (check.kind) {
    case 'exact':
    case 'sorted':
    case 'pairs': {
      const a = normalForm(check, redis);
      const b = normalForm(check, tessera);
      if (a === b) return null;
      const va = a.slice(0, a.lastIndexOf(' <wire'));
      const vb = b.slice(0, b.lastIndexOf(' <wire'));
      return va === vb ? 'same value, different RESP wire types' : 'different value';
    }
    case 'ttl': {
      const a = redis.value;
      const b = tessera.value;
      const numeric = (x: RespValue): x is number | bigint => typeof x === 'number' || typeof x === 'bigint';
      if (numeric(a) && numeric(b) && a >= 0 && b >= 0) {
        // PTTL of a PEXPIREAT near 2^63 is a bigint; a double's precision is plenty for the tolerance.
        if (Math.abs(Number(a) - Number(b)) <= check.tolerance && redis.types.join() === tessera.types.join()) return null;
        return `TTL-like values further apart than ${check.tolerance}`;
      }
      return compareReplies(EXACT, redis, tessera);
    }
    case 'shape':
      return shapeOf(redis) === shapeOf(tessera) ? null : 'different reply shape (error / nil / value)';
    case 'time': {
      const ok = (r: Reply): boolean => {
        const items = itemsOf(r.value);
        return !!items && items.length === 2 && items.every((x) => typeof x === 'string' && /^\d+$/.test(x));
      };
      if (ok(redis) && ok(tessera) && redis.types.join() === tessera.types.join()) return null;
      return compareReplies(EXACT, redis, tessera) === null ? null : 'TIME reply not two bulk strings of digits';
    }
    case 'info': {
      if (isError(redis.value) || isError(tessera.value)) return compareReplies(EXACT, redis, tessera);
      const a = sectionsOf(redis.value);
      const b = sectionsOf(tessera.value);
      if (!a || !b) return 'INFO reply is not a string';
      if (redis.types.join() !== tessera.types.join()) return 'INFO wire type differs';
      return a.join(',') === b.join(',') ? null : `INFO sections differ: redis [${a.join(', ')}], tessera [${b.join(', ')}]`;
    }
    case 'hello': {
      if (isError(redis.value) || isError(tessera.value)) return compareReplies(EXACT, redis, tessera);
      return containerTag(redis.value) === containerTag(tessera.value) ? null : 'HELLO reply container differs';
    }
  }
}
