// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], and
// RESTORE-ASKING (the same, flagged `asking` so that a node importing the
// slot accepts it: what MIGRATE sends in cluster mode).
//
// Checks run in Redis's order (restoreCommand): options, BUSYKEY, the TTL,
// the payload's version and checksum, then decoding. All of them happen
// before the keyspace is touched, so a refused payload writes nothing. An
// already-expired TTL deletes the old key (with REPLACE) and stores nothing,
// replying OK as Redis does.

import type { CommandSpec, CommandRun } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';
import { is, parseInt64 } from '../args.js';
import { LRU_CLOCK_MAX } from '../../keyspace/keyspace.js';
import { decodeDumpPayload, verifyDumpPayload } from '../../persistence/dump-payload.js';
import { RdbFormatError } from '../../persistence/errors.js';
import type { DecodeLimits } from '../../persistence/rdb-object.js';
import { hashLimits } from '../hash/common.js';
import { setLimits } from '../set/common.js';
import { zsetLimits } from '../sortedset/common.js';

export const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
export const ERR_BAD_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const ERR_BAD_DATA = 'ERR Bad data format';

/** The node's encoding thresholds, so a restored value reports the encoding Redis would give it. */
export function decodeLimits(s: Session): DecodeLimits {
  return { set: setLimits(s.node.config), hash: hashLimits(s.node.config), zset: zsetLimits(s) };
}

const run: CommandRun = (s, args) => {
  let replace = false;
  let absttl = false;
  let idleSec = -1;
  let freq = -1;
  for (let j = 4; j < args.length; j++) {
    const a = args[j]!;
    const more = args.length - j - 1;
    if (is(a, 'replace')) {
      replace = true;
    } else if (is(a, 'absttl')) {
      absttl = true;
    } else if (is(a, 'idletime') && more >= 1 && freq === -1) {
      const v = parseInt64(args[++j]!);
      if (v === null) return s.error(Err.notInteger);
      if (v < 0n) return s.error('ERR Invalid IDLETIME value, must be >= 0');
      idleSec = Number(v);
    } else if (is(a, 'freq') && more >= 1 && idleSec === -1) {
      const v = parseInt64(args[++j]!);
      if (v === null) return s.error(Err.notInteger);
      if (v < 0n || v > 255n) return s.error('ERR Invalid FREQ value, must be >= 0 and <= 255');
      freq = Number(v);
    } else {
      return s.error(Err.syntax);
    }
  }
  const key = args[1]!;
  const ks = s.node.keyspace;
  const db = s.db;
  const exists = db.peek(key, ks.nowMs) !== undefined;
  if (!replace && exists) return s.error(ERR_BUSYKEY);
  const ttlArg = parseInt64(args[2]!);
  if (ttlArg === null) return s.error(Err.notInteger);
  if (ttlArg < 0n) return s.error('ERR Invalid TTL value, must be >= 0');
  const payload = Buffer.from(args[3]!, 'latin1');
  if (!verifyDumpPayload(payload)) return s.error(ERR_BAD_PAYLOAD);
  let value;
  try {
    value = decodeDumpPayload(payload, decodeLimits(s));
  } catch (e) {
    if (e instanceof RdbFormatError) return s.error(ERR_BAD_DATA);
    throw e;
  }
  let ttl = Number(ttlArg);
  const deleted = replace && exists && db.delete(key);
  if (ttl !== 0 && !absttl) ttl += ks.nowMs;
  if (ttl !== 0 && ttl <= ks.nowMs) {
    // Already expired: nothing is stored; a replaced key is gone, as a DEL.
    if (deleted) s.notify('g', 'del', key);
    s.propagate(['del', key]);
    s.out.ok();
    return;
  }
  db.set(key, value);
  if (ttl !== 0) db.setExpire(key, ttl);
  // Replicas get the absolute expiry time (Redis rewrites the TTL and adds ABSTTL).
  if (ttl !== 0 && !absttl) s.propagate([...args.slice(0, 2), String(ttl), ...args.slice(3), 'absttl']);
  if (ks.usesLfu) {
    // The LFU stamp is (minutes << 8) | counter, as Keyspace encodes it.
    if (freq >= 0) db.setMeta(key, ((Math.floor(ks.nowMs / 60000) & 0xffff) * 256 + freq) >>> 0);
  } else if (idleSec >= 0) {
    const clock = ks.lruClock();
    let stamp = clock - idleSec;
    // Further back than the 24-bit clock reaches: half a wrap ago, as objectSetLRUOrLFU does.
    if (stamp < 0) stamp = (clock + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
    db.setMeta(key, stamp);
  }
  s.notify('g', 'restore', key);
  s.out.ok();
};

export const restore = {
  name: 'restore',
  arity: -4,
  flags: ['write', 'denyoom'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace', '@write', '@slow', '@dangerous'],
  summary: 'Create a key using the provided serialized value, previously obtained using DUMP.',
  since: '2.6.0',
  complexity:
    'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  run,
} as const satisfies CommandSpec;

export const restoreAsking = {
  name: 'restore-asking',
  arity: -4,
  flags: ['write', 'denyoom', 'asking'],
  group: 'server',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace', '@write', '@slow', '@dangerous'],
  summary: 'An internal command for migrating keys in a cluster',
  since: '3.0.0',
  complexity:
    'O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).',
  tips: [],
  run,
} as const satisfies CommandSpec;
