// A point-in-time copy of the keyspace for a full sync, encoded as the
// commands that recreate it (SELECT, SET/APPEND/RPUSH/HSET/SADD/ZADD,
// PEXPIREAT), produced in chunks so the primary streams it across event-loop
// turns while it keeps serving clients.
//
// Taking the copy must not stall the primary: Redis forks, we copy
// references. For each database the copy is a shallow slice of the key and
// value arrays and of the TTL table. String values are shared as they are
// (JS strings are immutable; a Buffer value is marked exposed, so an in-place
// SETRANGE or SETBIT copies it first). A container is not cloned: its
// snapshotHolds count goes up, and until the snapshot has serialized it, a
// command about to change it works on a clone (Database.readForWrite). So a
// 1M-field hash costs nothing here, and a clone only if it is written
// during the sync. Later writes reach the replica through the command stream
// that follows the snapshot from the offset of the copy.
//
// No command is huge: containers are split into commands of at most
// ELEMENTS_PER_COMMAND elements (RPUSH/HSET/SADD/ZADD append), and a long
// string into a SET and APPENDs of STRING_PIECE_BYTES, so one chunk takes
// milliseconds to encode and send. Pure: no I/O.

import type { Database } from '../keyspace/database.js';
import type { Container, Value } from '../keyspace/values.js';
import { ListValue } from '../keyspace/types/list.js';
import { HashValue } from '../keyspace/types/hash.js';
import { SetValue } from '../keyspace/types/set.js';
import { ZSetValue } from '../keyspace/types/zset.js';
import { markExposed, stringText } from '../keyspace/types/strings.js';
import { formatDouble } from '../resp/writer.js';
import { encodedCommandBytes, writeCommand } from './resp-command.js';

/** Elements per RPUSH/HSET/SADD/ZADD when a container is split. */
export const ELEMENTS_PER_COMMAND = 512;
/** Bytes per SET/APPEND of a long string value. */
export const STRING_PIECE_BYTES = 256 * 1024;

interface DbCopy {
  readonly index: number;
  readonly keys: string[];
  /** Emptied as the snapshot goes, so a serialized value can be freed. */
  readonly values: (Value | undefined)[];
  /** The keys with a TTL and their absolute expiry times. */
  readonly expiringKeys: string[];
  readonly expiresAt: number[];
}

function isContainer(v: Value): v is Container {
  return typeof v !== 'string' && !Buffer.isBuffer(v);
}

export class KeyspaceSnapshot {
  private readonly copies: DbCopy[] = [];
  private readonly commands: Generator<string[]>;
  /** A command that did not fit the last chunk. */
  private pending: string[] | null = null;
  /** Where the generator is: containers at or after it are still held. */
  private dbAt = 0;
  private keyAt = 0;
  private released = false;
  readonly keyCount: number;
  bytesProduced = 0;

  /**
   * Takes the copy now: O(keys) array copies, no value copied. `streamDb`,
   * when given, is selected last: the database the stream that follows is
   * in (a replica serving a sub-replica relays its primary's stream, which
   * will not re-select; Redis carries it in the RDB's repl-stream-db field).
   */
  constructor(
    dbs: readonly Database[],
    private readonly streamDb: number | null = null,
  ) {
    let keys = 0;
    for (const db of dbs) {
      const n = db.map.size;
      if (n === 0) continue;
      const values: (Value | undefined)[] = db.map.vals.slice(0, n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        if (typeof v === 'string') continue;
        if (Buffer.isBuffer(v)) markExposed(v);
        else v.snapshotHolds++;
      }
      const e = db.expires.size;
      this.copies.push({ index: db.id, keys: db.map.keys.slice(0, n), values, expiringKeys: db.expires.keys.slice(0, e), expiresAt: db.expires.vals.slice(0, e) });
      keys += n;
    }
    this.keyCount = keys;
    this.commands = this.generate();
  }

  /**
   * The next run of encoded commands, about `targetBytes` long (a single
   * larger command goes whole), or null when the snapshot is complete.
   */
  nextChunk(targetBytes: number): Buffer | null {
    if (this.released) return null;
    const batch: string[][] = [];
    let bytes = 0;
    for (;;) {
      let cmd = this.pending;
      this.pending = null;
      if (cmd === null) {
        const r = this.commands.next();
        if (r.done) break;
        cmd = r.value;
      }
      const n = encodedCommandBytes(cmd);
      if (bytes > 0 && bytes + n > targetBytes) {
        this.pending = cmd;
        break;
      }
      batch.push(cmd);
      bytes += n;
      if (bytes >= targetBytes) break;
    }
    if (batch.length === 0) return null;
    const out = Buffer.allocUnsafe(bytes);
    let at = 0;
    for (const c of batch) at = writeCommand(out, at, c);
    this.bytesProduced += bytes;
    return out;
  }

  /**
   * Gives up the snapshot (the replica went away): the containers it has
   * not serialized yet are writable in place again. Idempotent.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (let d = this.dbAt; d < this.copies.length; d++) {
      const values = this.copies[d]!.values;
      for (let i = d === this.dbAt ? this.keyAt : 0; i < values.length; i++) {
        const v = values[i];
        if (v !== undefined && isContainer(v)) v.snapshotHolds--;
        values[i] = undefined;
      }
    }
    this.dbAt = this.copies.length;
  }

  private *generate(): Generator<string[]> {
    for (; this.dbAt < this.copies.length; this.dbAt++, this.keyAt = 0) {
      const copy = this.copies[this.dbAt]!;
      yield ['select', String(copy.index)];
      for (; this.keyAt < copy.keys.length; this.keyAt++) {
        const v = copy.values[this.keyAt]!;
        yield* valueCommands(copy.keys[this.keyAt]!, v);
        // Serialized: the live value may change in place from now on.
        copy.values[this.keyAt] = undefined;
        if (isContainer(v)) v.snapshotHolds--;
      }
      // After the keys, so each PEXPIREAT finds its key.
      for (let i = 0; i < copy.expiringKeys.length; i++) yield ['pexpireat', copy.expiringKeys[i]!, String(copy.expiresAt[i]!)];
    }
    if (this.streamDb !== null) yield ['select', String(this.streamDb)];
  }
}

/** The commands that recreate `key` holding `v`. */
export function* valueCommands(key: string, v: Value): Generator<string[]> {
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    if (v.length <= STRING_PIECE_BYTES) {
      yield ['set', key, stringText(v)];
      return;
    }
    for (let from = 0; from < v.length; from += STRING_PIECE_BYTES) {
      const to = Math.min(v.length, from + STRING_PIECE_BYTES);
      yield [from === 0 ? 'set' : 'append', key, typeof v === 'string' ? v.slice(from, to) : v.latin1Slice(from, to)];
    }
    return;
  }
  if (v instanceof ListValue) {
    for (let from = 0; from < v.size; from += ELEMENTS_PER_COMMAND) {
      yield ['rpush', key, ...v.slice(from, Math.min(v.size, from + ELEMENTS_PER_COMMAND) - 1)];
    }
    return;
  }
  if (v instanceof HashValue) {
    const ks = v.map.keys;
    const vs = v.map.vals;
    for (let from = 0; from < ks.length; from += ELEMENTS_PER_COMMAND) {
      const cmd = ['hset', key];
      const to = Math.min(ks.length, from + ELEMENTS_PER_COMMAND);
      for (let j = from; j < to; j++) cmd.push(ks[j]!, vs[j]!);
      yield cmd;
    }
    return;
  }
  if (v instanceof SetValue) {
    const members = v.members();
    for (let from = 0; from < members.length; from += ELEMENTS_PER_COMMAND) {
      yield ['sadd', key, ...members.slice(from, from + ELEMENTS_PER_COMMAND)];
    }
    return;
  }
  if (v instanceof ZSetValue) {
    const ms = v.dict.keys;
    const ss = v.dict.vals;
    for (let from = 0; from < ms.length; from += ELEMENTS_PER_COMMAND) {
      const cmd = ['zadd', key];
      const to = Math.min(ms.length, from + ELEMENTS_PER_COMMAND);
      for (let j = from; j < to; j++) cmd.push(formatDouble(ss[j]!), ms[j]!);
      yield cmd;
    }
    return;
  }
  throw new Error(`assertion failed: snapshot of an unknown value type ${v.type}`);
}
