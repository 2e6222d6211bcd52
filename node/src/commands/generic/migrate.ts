// MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE]
//         [AUTH password] [AUTH2 username password] [KEYS key [key ...]]
//
// Redis runs MIGRATE synchronously, blocking the whole server while it talks
// to the target. Commands here run to completion and never do I/O, so MIGRATE
// blocks only the calling client (like BLPOP: `s.blocked` set, its parser
// paused) while a MigrateConnector (the server adapter's cached sockets)
// carries RESTORE commands to the target; the reply is delivered later and
// the client resumed. Keys are deleted here only once the target has
// acknowledged them, in one event-loop turn, so when MIGRATE returns each
// key is on exactly one side.
//
// Other clients keep running meanwhile, so a key may change after it was
// serialised. Keys are guarded (services/key-guards.ts) from their snapshot
// on; a key that changed is re-sent with REPLACE (or DELeted on the
// target if it is gone here) before the local copy is removed, for a few
// rounds; a key that keeps changing stays here and the command fails. A
// batch of small keys (what resharding sends) is serialised in the turn of
// the command into one buffer, under one guard for the whole batch, and
// driven by callbacks rather than promises: if that guard is dirtied, every
// acknowledged key of the batch is re-sent (rare, and harmless). Large
// values are serialised in bounded steps with the event loop let go between
// them, each guarded on its own; a value written to during that is
// re-serialised in one go.
//
// Replies and errors are Redis's (migrateCommand): +NOKEY when no key
// exists, "IOERR error or timeout connecting to the client", "IOERR error or
// timeout reading|writing to target instance", and "ERR Target instance
// replied with error: <its error>" (e.g. BUSYKEY). A socket error before any
// RESTORE reply is retried once on a fresh connection, unless it timed out.

import type { CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import type { NodeState } from '../node-state.js';
import type { ReplyWriter } from '../../resp/writer.js';
import type { Database } from '../../keyspace/database.js';
import type { Value } from '../../keyspace/values.js';
import { KeyGuard } from '../../services/key-guards.js';
import { Err } from '../../core/errors.js';
import { is, parseInteger } from '../args.js';
import { encodeCommand } from '../../resp/decoder.js';
import { createDumpPayload, createDumpPayloadSteps } from '../../persistence/dump-payload.js';
import type { EncodeOptions } from '../../persistence/rdb-object.js';
import { encodeOptions } from './dump.js';
import { lookupRead } from './common.js';
import { RestoreBatch } from './restore-batch.js';

export interface MigrateReply {
  readonly error: boolean;
  /** Status text, or the error message without its '-'. */
  readonly text: string;
}

/** A connection to a target node, cached by the connector. */
export interface MigrateLink {
  /**
   * The database this connection is in after the exchanges submitted so far
   * (-1: unknown, SELECT next time).
   */
  lastDbid: number;
}

export interface MigrateExchange {
  /** Replies read, in order (fewer than asked for after an I/O error). */
  readonly replies: readonly MigrateReply[];
  readonly ioError: 'writing' | 'reading' | null;
  readonly timedOut: boolean;
}

/** The socket side, implemented by the server adapter (server/migrate-client.ts) or a test double. */
export interface MigrateConnector {
  /** A cached or new connection to host:port, or null if it cannot connect within timeoutMs. */
  connect(host: string, port: number, timeoutMs: number): Promise<MigrateLink | null>;
  /** The cached, usable connection to host:port if there is one (no waiting: the common case). */
  cached(host: string, port: number): MigrateLink | null;
  /**
   * Writes the chunks and reads replyCount replies; timeoutMs bounds each I/O
   * step. `done` is called once, never before exchange returns. A callback,
   * not a promise: a batch of small keys is a few microseconds of work, and
   * promise hops per batch were a visible share of it.
   */
  exchange(link: MigrateLink, chunks: readonly Buffer[], replyCount: number, timeoutMs: number, done: (ex: MigrateExchange) => void): void;
  /** Forgets host:port's cached connection (after a socket error). */
  close(host: string, port: number): void;
  /** Lets the event loop run (between serialisation steps of a large value). */
  pause(): Promise<void>;
}

const connectors = new WeakMap<NodeState, MigrateConnector>();

export function setMigrateConnector(node: NodeState, connector: MigrateConnector): void {
  connectors.set(node, connector);
}

const IOERR_CONNECT = 'IOERR error or timeout connecting to the client';
/** Serialisation steps (a few thousand elements each) between event-loop pauses. */
const STEPS_PER_PAUSE = 1;
/** Rounds of re-sending keys written during the migration before giving up on them. */
const MAX_RESYNC_ROUNDS = 5;

/** What `s.blocked` holds while a MIGRATE is in flight. */
const MIGRATING = Object.freeze({ migrate: true });

interface Request {
  readonly s: Session;
  readonly db: Database;
  readonly dbIndex: number;
  readonly host: string;
  readonly port: number;
  readonly targetDb: number;
  readonly timeoutMs: number;
  readonly copy: boolean;
  readonly replace: boolean;
  readonly username: string | null;
  readonly password: string | null;
  readonly keys: string[];
  readonly connector: MigrateConnector;
  readonly opts: EncodeOptions;
  /** Every guard this MIGRATE holds (released when it replies). */
  readonly guards: KeyGuard[];
  /** The reply was given (a late callback must not give another). */
  replied: boolean;
}

/** One key's snapshot: what was sent, and a guard that says whether it may have changed since. */
interface Entry {
  readonly key: string;
  /**
   * Guards this key since the snapshot. In the first batch of small keys it
   * is shared by the whole batch (one guard, not one per key): dirty then
   * means that some key of the batch changed, and every acknowledged key is
   * re-sent, which is rare and safe (the re-send carries REPLACE).
   */
  readonly guard: KeyGuard;
  /** RESTORE frame (one or more chunks), or a DEL frame when the key vanished locally (re-sync rounds). */
  readonly frame: readonly Buffer[];
}

/** Entries and the bytes that carry them (one frame per entry, maybe all in one Buffer). */
interface Batch {
  readonly entries: readonly Entry[];
  readonly chunks: readonly Buffer[];
}

function migrateKeys(args: readonly string[]): number[] {
  let first = 3;
  let num = 1;
  for (let i = 6; i < args.length; i++) {
    if (is(args[i], 'auth')) i++;
    else if (is(args[i], 'auth2')) i += 2;
    else if (is(args[i], 'keys')) {
      if (args[3]!.length > 0) return [];
      first = i + 1;
      num = args.length - first;
      break;
    }
  }
  const out: number[] = [];
  for (let k = 0; k < num; k++) out.push(first + k);
  return out;
}

export const migrate = {
  name: 'migrate',
  arity: -6,
  flags: ['write', 'movablekeys'],
  group: 'generic',
  keys: { first: 3, last: 3, step: 1, find: migrateKeys },
  acl: ['@keyspace', '@write', '@slow', '@dangerous'],
  summary: 'Atomically transfer a key from a Redis instance to another one.',
  since: '2.6.0',
  complexity:
    'This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.',
  tips: ['nondeterministic_output'],
  run(s, args) {
    let copy = false;
    let replace = false;
    let username: string | null = null;
    let password: string | null = null;
    let firstKey = 3;
    let numKeys = 1;
    for (let j = 6; j < args.length; j++) {
      const more = args.length - 1 - j;
      const a = args[j]!;
      if (is(a, 'copy')) copy = true;
      else if (is(a, 'replace')) replace = true;
      else if (is(a, 'auth')) {
        if (more < 1) return s.error(Err.syntax);
        password = args[++j]!;
      } else if (is(a, 'auth2')) {
        if (more < 2) return s.error(Err.syntax);
        username = args[++j]!;
        password = args[++j]!;
      } else if (is(a, 'keys')) {
        if (args[3]!.length !== 0) return s.error('ERR When using MIGRATE KEYS option, the key argument must be set to the empty string');
        firstKey = j + 1;
        numKeys = args.length - j - 1;
        break;
      } else {
        return s.error(Err.syntax);
      }
    }
    const timeout = parseInteger(args[5]!);
    if (timeout === null) return s.error(Err.notInteger);
    const targetDb = parseInteger(args[4]!);
    if (targetDb === null) return s.error(Err.notInteger);
    const keys: string[] = [];
    const values: Value[] = [];
    let allSmall = true;
    for (let j = 0; j < numKeys; j++) {
      const key = args[firstKey + j]!;
      const v = lookupRead(s, key);
      if (v === undefined) continue;
      keys.push(key);
      values.push(v);
      if (allSmall && !isSmall(v)) allSmall = false;
    }
    if (keys.length === 0) {
      s.out.simple('NOKEY');
      return;
    }
    const connector = connectors.get(s.node);
    if (connector === undefined) return s.error(IOERR_CONNECT);
    if (s.inExec) {
      // EXEC cannot be suspended half-way, and Redis's MIGRATE inside a
      // transaction relies on blocking the whole server, which we do not.
      return s.error('ERR MIGRATE is not supported inside MULTI/EXEC');
    }
    const req: Request = {
      s,
      db: s.db,
      dbIndex: s.dbIndex,
      host: args[1]!,
      port: Number(args[2]!),
      targetDb,
      timeoutMs: timeout <= 0 ? 1000 : timeout,
      copy,
      replace,
      username,
      password,
      keys,
      connector,
      opts: encodeOptions(s.node.config),
      guards: [],
      replied: false,
    };
    s.blocked = MIGRATING;
    if (allSmall) {
      // The common case (resharding moves many small keys): snapshot the
      // batch now, in this turn, and send it without a promise in the way.
      guarded(req, () => {
        const batch = smallBatch(req, values);
        if (batch.entries.length === 0) return finish(req, (w) => w.ok());
        sendBatch(req, batch, true, (result) => guarded(req, () => afterRound(req, result, 0, null)));
      });
      return;
    }
    void snapshotAll(req).then(
      (batch) => {
        if (batch.entries.length === 0) return finish(req, (w) => w.ok());
        sendBatch(req, batch, true, (result) => guarded(req, () => afterRound(req, result, 0, null)));
      },
      (e: unknown) => finish(req, internalError(e)),
    );
  },
} as const satisfies CommandSpec;

function internalError(e: unknown): (w: ReplyWriter) => void {
  return (w) => w.error(`ERR internal error in 'migrate': ${e instanceof Error ? e.message : String(e)}`);
}

/** Runs a step of the migration; a bug in it answers the client instead of escaping into a socket handler. */
function guarded(req: Request, step: () => void): void {
  try {
    step();
  } catch (e) {
    finish(req, internalError(e));
  }
}

/** Releases the guards, delivers the reply and lets the client's next command run (once). */
function finish(req: Request, reply: (w: ReplyWriter) => void): void {
  if (req.replied) return;
  req.replied = true;
  const guards = req.s.node.keyGuards;
  for (const g of req.guards) guards.release(g);
  req.guards.length = 0;
  const s = req.s;
  s.blocked = null;
  s.node.deliver(s, (w) => {
    reply(w);
  });
  s.node.host.resume(s);
}

function error(s: Session, message: string): (w: ReplyWriter) => void {
  // Counted in errorstats like any error reply.
  const sp = message.indexOf(' ');
  s.node.stats.countError(sp < 0 ? message : message.slice(0, sp));
  return (w) => w.error(message);
}

/** A new guard, counted in req.guards. */
function newGuard(req: Request): KeyGuard {
  const g = new KeyGuard(req.dbIndex);
  req.guards.push(g);
  return g;
}

/** A new guard of one key. */
function guardKey(req: Request, key: string): KeyGuard {
  const g = newGuard(req);
  req.s.node.keyGuards.guard(g, key);
  return g;
}

/** Values at most this big are serialised in one go (no event-loop pause): the common case. */
const SMALL_STRING_BYTES = 64 * 1024;
const SMALL_COLLECTION_ELEMENTS = 2048;

function isSmall(v: Value): boolean {
  if (typeof v === 'string' || Buffer.isBuffer(v)) return v.length <= SMALL_STRING_BYTES;
  return v.size <= SMALL_COLLECTION_ELEMENTS;
}

/**
 * RESTORE key ttl payload [REPLACE] as RESP. A small frame is one Buffer; a
 * big payload is not copied: the frame is [head, payload, tail] (one writev).
 */
function restoreFrame(name: string, key: string, ttl: number, payload: Buffer, replace: boolean): Buffer[] {
  const ttlText = String(ttl);
  const head = `*${replace ? 5 : 4}\r\n$${name.length}\r\n${name}\r\n$${key.length}\r\n${key}\r\n$${ttlText.length}\r\n${ttlText}\r\n$${payload.length}\r\n`;
  const tail = replace ? '\r\n$7\r\nREPLACE\r\n' : '\r\n';
  if (payload.length > SMALL_STRING_BYTES) return [Buffer.from(head, 'latin1'), payload, Buffer.from(tail, 'latin1')];
  const out = Buffer.allocUnsafe(head.length + payload.length + tail.length);
  let at = out.latin1Write(head, 0);
  at += payload.copy(out, at);
  out.latin1Write(tail, at);
  return [out];
}

/** The TTL to send for key (0: none), or null if it is already expired. */
function ttlOf(req: Request, key: string): number | null {
  const expireAt = req.db.getExpire(key);
  if (expireAt === undefined) return 0;
  const ttl = expireAt - req.s.node.keyspace.nowMs;
  if (ttl < 0) return null;
  return ttl < 1 ? 1 : ttl;
}

function commandName(req: Request): string {
  return req.s.node.clusterEnabled ? 'RESTORE-ASKING' : 'RESTORE';
}

/**
 * The first batch when every value is small: all keys serialised now (in
 * the command's turn) into one Buffer, under one guard from now on.
 */
function smallBatch(req: Request, values: readonly Value[]): Batch {
  const batch = new RestoreBatch(commandName(req));
  const guard = newGuard(req);
  const guards = req.s.node.keyGuards;
  const entries: Entry[] = [];
  const keys = req.keys;
  for (let i = 0; i < keys.length; i++) {
    // The values the command just looked up, in this same turn.
    const key = keys[i]!;
    const value = values[i]!;
    const ttl = ttlOf(req, key);
    if (ttl === null) continue;
    batch.add(key, ttl, value, req.replace, req.opts);
    guards.guard(guard, key);
    entries.push({ key, guard, frame: NO_FRAME });
  }
  return { entries, chunks: entries.length > 0 ? [batch.take()] : [] };
}

/** Entries of smallBatch: their bytes are in the batch's one Buffer. */
const NO_FRAME: readonly Buffer[] = Object.freeze([]);

/** The RESTORE frame for key's current value serialised in one go, or null if the key is gone or expired. */
function snapshotNow(req: Request, key: string, replace: boolean): Buffer[] | null {
  const value = req.db.peek(key, req.s.node.keyspace.nowMs);
  if (value === undefined) return null;
  const ttl = ttlOf(req, key);
  if (ttl === null) return null;
  return restoreFrame(commandName(req), key, ttl, createDumpPayload(value, req.opts), replace);
}

/**
 * The RESTORE frame for key's current value serialised in bounded steps
 * with the event loop let go between them, or null if the key is gone.
 */
async function snapshotStepped(req: Request, key: string, replace: boolean): Promise<Buffer[] | null> {
  const value = req.db.peek(key, req.s.node.keyspace.nowMs);
  if (value === undefined) return null;
  const steps = createDumpPayloadSteps(value, req.opts);
  let payload: Buffer;
  let n = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) {
      payload = r.value;
      break;
    }
    if (++n % STEPS_PER_PAUSE === 0) await req.connector.pause();
  }
  // The TTL as of now (the value may have been serialised over many turns).
  const ttl = ttlOf(req, key);
  if (ttl === null) return null;
  return restoreFrame(commandName(req), key, ttl, payload, replace);
}

/** A consistent snapshot of key (re-serialised in one go if it changed while being serialised), or null if it is gone. */
async function consistentEntry(req: Request, key: string, replace: boolean): Promise<Entry | null> {
  const value = req.db.peek(key, req.s.node.keyspace.nowMs);
  if (value === undefined) return null;
  let guard = guardKey(req, key);
  let frame: Buffer[] | null;
  if (isSmall(value)) {
    frame = snapshotNow(req, key, replace);
  } else {
    frame = await snapshotStepped(req, key, replace);
    if (guard.dirty) {
      guard = guardKey(req, key);
      frame = snapshotNow(req, key, replace);
    }
  }
  if (frame === null) return null;
  return { key, guard, frame };
}

/** The first batch when some value is big (serialised over several turns). */
async function snapshotAll(req: Request): Promise<Batch> {
  const entries: Entry[] = [];
  for (const key of req.keys) {
    const e = await consistentEntry(req, key, req.replace);
    if (e !== null) entries.push(e);
  }
  return batchOf(entries);
}

function batchOf(entries: readonly Entry[]): Batch {
  const chunks: Buffer[] = [];
  for (const e of entries) for (const c of e.frame) chunks.push(c);
  return { entries, chunks };
}

interface BatchResult {
  /** Entries the target acknowledged. */
  readonly acked: Entry[];
  /** Error reply to give, or null on success. */
  readonly error: string | null;
}

/** Sends a batch (with AUTH/SELECT as needed), retrying once on a fresh connection as Redis does. */
function sendBatch(req: Request, batch: Batch, mayRetry: boolean, done: (r: BatchResult) => void): void {
  const link = req.connector.cached(req.host, req.port);
  if (link !== null) return exchangeOn(req, link, batch, mayRetry, done);
  req.connector.connect(req.host, req.port, req.timeoutMs).then(
    (l) => guarded(req, () => (l === null ? done({ acked: [], error: IOERR_CONNECT }) : exchangeOn(req, l, batch, mayRetry, done))),
    (e: unknown) => finish(req, internalError(e)),
  );
}

function exchangeOn(req: Request, link: MigrateLink, batch: Batch, mayRetry: boolean, done: (r: BatchResult) => void): void {
  const { connector } = req;
  const entries = batch.entries;
  let chunks = batch.chunks;
  let preamble = 0;
  const select = link.lastDbid !== req.targetDb;
  if (req.password !== null || select) {
    const pre: Buffer[] = [];
    if (req.password !== null) pre.push(encodeCommand(req.username !== null ? ['AUTH', req.username, req.password] : ['AUTH', req.password]));
    if (select) pre.push(encodeCommand(['SELECT', String(req.targetDb)]));
    preamble = pre.length;
    chunks = [...pre, ...chunks];
  }
  // The database the connection is in once this exchange has run. Set now,
  // not on the reply: exchanges on a link run in the order they are
  // submitted, so a MIGRATE submitted behind this one must see it.
  link.lastDbid = req.targetDb;
  connector.exchange(link, chunks, preamble + entries.length, req.timeoutMs, (ex) =>
    guarded(req, () => {
      const replies = ex.replies;
      const socketError = ex.ioError !== null;
      if (socketError && replies.length <= preamble && mayRetry && !ex.timedOut) {
        // A stale cached connection is common; a fresh one usually works.
        connector.close(req.host, req.port);
        return sendBatch(req, batch, false, done);
      }
      let preError: MigrateReply | undefined;
      for (let j = 0; j < preamble && j < replies.length; j++) if (replies[j]!.error && preError === undefined) preError = replies[j];
      let targetError: string | null = null;
      const acked: Entry[] = [];
      for (let j = 0; j + preamble < replies.length && j < entries.length; j++) {
        const r = replies[j + preamble]!;
        if (preError !== undefined || r.error) {
          if (targetError === null) {
            link.lastDbid = -1;
            targetError = `ERR Target instance replied with error: ${(preError ?? r).text}`;
          }
        } else {
          acked.push(entries[j]!);
        }
      }
      if (targetError !== null) return done({ acked, error: targetError });
      if (socketError) {
        connector.close(req.host, req.port);
        return done({ acked, error: `IOERR error or timeout ${ex.ioError} to target instance` });
      }
      done({ acked, error: null });
    }),
  );
}

/**
 * After a batch: deletes the acknowledged keys that did not change since
 * their snapshot (unless COPY) in this turn, then either replies or re-sends
 * the keys written meanwhile (or DELs them there if they are gone here).
 */
function afterRound(req: Request, result: BatchResult, round: number, firstErrorBefore: string | null): void {
  const s = req.s;
  const firstError = firstErrorBefore ?? result.error;
  const stale: Entry[] = [];
  const deleted: string[] = [];
  if (!req.copy) {
    // Decide before deleting anything: our own deletes dirty a guard shared by the batch.
    const clean: Entry[] = [];
    for (const e of result.acked) (e.guard.dirty ? stale : clean).push(e);
    for (const e of clean) {
      // The target holds exactly what is here: the key now lives there only.
      if (req.db.delete(e.key)) {
        s.node.notify('g', 'del', e.key, req.dbIndex);
        deleted.push(e.key);
      }
    }
  }
  // Replicas (and the AOF) drop them too: one DEL, as Redis rewrites MIGRATE into DEL key ...
  // (outside a command, Session.propagate emits at once, in this client's database).
  if (deleted.length > 0) s.propagate(['del', ...deleted]);
  if (stale.length === 0 || result.error !== null) {
    return finish(req, firstError !== null ? error(s, firstError) : (w) => w.ok());
  }
  if (round + 1 >= MAX_RESYNC_ROUNDS) {
    return finish(req, error(s, firstError ?? 'ERR MIGRATE gave up: keys kept changing during the migration, they stay on this node'));
  }
  void resync(req, stale).then(
    (batch) => sendBatch(req, batch, true, (r) => guarded(req, () => afterRound(req, r, round + 1, firstError))),
    (e: unknown) => finish(req, internalError(e)),
  );
}

/** Written while in flight: the newer values (or a DEL there for a key gone here), each guarded again. */
async function resync(req: Request, stale: readonly Entry[]): Promise<Batch> {
  const next: Entry[] = [];
  for (const e of stale) {
    const fresh = await consistentEntry(req, e.key, true);
    if (fresh !== null) next.push(fresh);
    else next.push({ key: e.key, guard: guardKey(req, e.key), frame: [encodeCommand(['DEL', e.key])] });
  }
  return batchOf(next);
}
