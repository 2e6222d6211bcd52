// RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], and
// RESTORE-ASKING (the same, flagged `asking` so that a node importing the
// slot accepts it: what MIGRATE sends in cluster mode).
//
// Checks run in Redis's order (restoreCommand): options, BUSYKEY, the TTL,
// the payload's version and checksum, then decoding. All of them happen
// before the keyspace is touched, so a refused payload writes nothing. An
// already-expired TTL deletes the old key (with REPLACE) and stores nothing,
// replying OK as Redis does.

import { borrowBytes } from '../../persistence/lent-bytes.js';
import type { CommandSpec, CommandRun } from '../spec.js';
import type { Session } from '../session.js';
import type { Config } from '../../config/config.js';
import { Err } from '../../core/errors.js';
import { is, parseInt64, parseInteger } from '../args.js';
import { LRU_CLOCK_MAX } from '../../keyspace/keyspace.js';
import { decodeDumpPayload, decodeDumpPayloadSteps, verifyDumpPayload } from '../../persistence/dump-payload.js';
import type { Value } from '../../keyspace/values.js';
import { RdbFormatError } from '../../persistence/errors.js';
import type { DecodeLimits } from '../../persistence/rdb-object.js';
import { hashLimits } from '../hash/common.js';
import { setLimits } from '../set/common.js';
import { zsetLimits } from '../sortedset/common.js';

export const ERR_BUSYKEY = 'BUSYKEY Target key name already exists.';
export const ERR_BAD_PAYLOAD = 'ERR DUMP payload version or checksum are wrong';
export const ERR_BAD_DATA = 'ERR Bad data format';

const limitsByConfig = new WeakMap<Config, DecodeLimits>();
const listening = new WeakSet<Config>();

/**
 * The node's encoding thresholds, so a restored value reports the encoding
 * Redis would give it. Cached per config until a directive changes: reading
 * them costs several map lookups, once per RESTORE of every migrated key.
 */
export function decodeLimits(s: Session): DecodeLimits {
  const config = s.node.config;
  let limits = limitsByConfig.get(config);
  if (limits === undefined) {
    if (!listening.has(config)) {
      listening.add(config);
      config.onChange(() => limitsByConfig.delete(config));
    }
    limits = { set: setLimits(config), hash: hashLimits(config), zset: zsetLimits(s) };
    limitsByConfig.set(config, limits);
  }
  return limits;
}

/**
 * Payloads at least this long are decoded in bounded steps: the first
 * STEP_BUDGET_MS inline, and if that does not finish, the rest over later
 * event-loop turns with only this client blocked. Shorter ones (by far the
 * common case) take the one-shot path.
 */
export const RESTORE_STEPPED_MIN_BYTES = 64 * 1024;
/** Work per event-loop turn while a big payload is decoded. */
const STEP_BUDGET_MS = 5;

/** What `s.blocked` holds while a big RESTORE is decoded. */
const RESTORING = Object.freeze({ restore: true });

/** Lets the event loop run between decoding turns (replaceable by tests). */
let pauseTurn: () => Promise<void> = () => new Promise((resolve) => setImmediate(resolve));

export function setRestorePause(pause: () => Promise<void>): void {
  pauseTurn = pause;
}

/** RESTORE's parsed arguments. */
interface RestoreRequest {
  readonly key: string;
  readonly replace: boolean;
  readonly absttl: boolean;
  readonly idleSec: number;
  readonly freq: number;
  readonly ttl: number;
  readonly args: readonly string[];
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
  if (!replace && s.db.peek(key, ks.nowMs) !== undefined) return s.error(ERR_BUSYKEY);
  const ttl = parseInteger(args[2]!);
  if (ttl === null) return s.error(Err.notInteger);
  if (ttl < 0) return s.error('ERR Invalid TTL value, must be >= 0');
  const req: RestoreRequest = { key, replace, absttl, idleSec, freq, ttl, args };
  const raw = args[3]!;
  if (raw.length >= RESTORE_STEPPED_MIN_BYTES && canBlock(s)) return runStepped(s, req, raw);
  // A huge payload on a replica or inside EXEC: the parser's bytes, not a copy of the (unflattened) string.
  const payload = borrowBytes(raw) ?? Buffer.from(raw, 'latin1');
  if (!verifyDumpPayload(payload)) return s.error(ERR_BAD_PAYLOAD);
  let value;
  try {
    value = decodeDumpPayload(payload, decodeLimits(s));
  } catch (e) {
    if (e instanceof RdbFormatError) return s.error(ERR_BAD_DATA);
    throw e;
  }
  const err = install(s, req, value, true, true);
  if (err !== null) s.error(err);
  else s.out.ok();
};

/**
 * Whether this RESTORE may suspend its client: not inside EXEC (the
 * transaction must run to completion) and not on a replica's link to its
 * primary or another internal session (kindFlags set), whose commands must
 * apply in order, one after the other.
 */
function canBlock(s: Session): boolean {
  return !s.inExec && !s.inMulti && s.kindFlags === '' && s.id >= 0;
}

/**
 * Stores the decoded value (or, for an already-expired TTL, deletes the old
 * key): the keyspace changes in one go. BUSYKEY is checked again because a
 * stepped decode lets other clients run first. Returns an error or null.
 * `inCommand`: false when a stepped RESTORE completes in a later turn, where
 * the propagation of the command itself must be explicit.
 * `absentChecked`: the caller saw no key in this turn (the one-shot path).
 */
function install(s: Session, req: RestoreRequest, value: Value, inCommand: boolean, absentChecked = false): string | null {
  const { key, args } = req;
  const ks = s.node.keyspace;
  const db = s.db;
  const exists = absentChecked && !req.replace ? false : db.peek(key, ks.nowMs) !== undefined;
  if (!req.replace && exists) return ERR_BUSYKEY;
  let ttl = req.ttl;
  const deleted = req.replace && exists && db.delete(key);
  if (ttl !== 0 && !req.absttl) ttl += ks.nowMs;
  if (ttl !== 0 && ttl <= ks.nowMs) {
    // Already expired: nothing is stored; a replaced key is gone, as a DEL.
    if (deleted) s.notify('g', 'del', key);
    if (inCommand || deleted) s.propagate(['del', key]);
    return null;
  }
  // Absent here by now: never there, or just deleted by REPLACE.
  db.create(key, value);
  if (ttl !== 0) db.setExpire(key, ttl);
  // Replicas get the absolute expiry time (Redis rewrites the TTL and adds ABSTTL).
  if (ttl !== 0 && !req.absttl) s.propagate([...args.slice(0, 2), String(ttl), ...args.slice(3), 'absttl']);
  else if (!inCommand) s.propagate([...args]);
  if (ks.usesLfu) {
    // The LFU stamp is (minutes << 8) | counter, as Keyspace encodes it.
    if (req.freq >= 0) db.setMeta(key, ((Math.floor(ks.nowMs / 60000) & 0xffff) * 256 + req.freq) >>> 0);
  } else if (req.idleSec >= 0) {
    const clock = ks.lruClock();
    let stamp = clock - req.idleSec;
    // Further back than the 24-bit clock reaches: half a wrap ago, as objectSetLRUOrLFU does.
    if (stamp < 0) stamp = (clock + Math.floor(LRU_CLOCK_MAX / 2)) % LRU_CLOCK_MAX;
    db.setMeta(key, stamp);
  }
  s.notify('g', 'restore', key);
  return null;
}

type StepOutcome = { done: false } | { done: true; value: Value | null; bad: boolean };

/** Runs decoding steps for about STEP_BUDGET_MS. */
function advance(steps: Generator<void, Value | null, void>): StepOutcome {
  const t0 = performance.now();
  try {
    for (;;) {
      const r = steps.next();
      if (r.done) return { done: true, value: r.value, bad: false };
      if (performance.now() - t0 >= STEP_BUDGET_MS) return { done: false };
    }
  } catch (e) {
    if (e instanceof RdbFormatError) return { done: true, value: null, bad: true };
    throw e;
  }
}

/**
 * A big payload: copy, checksum and decode it in bounded steps into a value
 * no one else can see, then install it in one turn. If the first slice of
 * work finishes it, this is an ordinary synchronous RESTORE; otherwise only
 * this client waits (blocked like a MIGRATE caller) while others are served.
 */
function runStepped(s: Session, req: RestoreRequest, raw: string): void {
  const steps = decodeDumpPayloadSteps(raw, decodeLimits(s));
  const first = advance(steps);
  if (first.done) {
    if (first.value === null) return s.error(first.bad ? ERR_BAD_DATA : ERR_BAD_PAYLOAD);
    const err = install(s, req, first.value, true);
    if (err !== null) s.error(err);
    else s.out.ok();
    return;
  }
  s.blocked = RESTORING;
  const finish = (err: string | null): void => {
    s.blocked = null;
    if (err !== null) {
      const sp = err.indexOf(' ');
      s.node.stats.countError(sp < 0 ? err : err.slice(0, sp));
    }
    s.node.deliver(s, (w) => (err !== null ? w.error(err) : w.ok()));
    s.node.host.resume(s);
  };
  void (async () => {
    for (;;) {
      await pauseTurn();
      const o = advance(steps);
      if (!o.done) continue;
      if (o.value === null) return finish(o.bad ? ERR_BAD_DATA : ERR_BAD_PAYLOAD);
      return finish(install(s, req, o.value, false));
    }
  })().catch((e: unknown) => finish(`ERR internal error in 'restore': ${e instanceof Error ? e.message : String(e)}`));
}

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
