// A point-in-time copy of the keyspace for a full sync, encoded as the
// commands that recreate it (SELECT, SET/RPUSH/HSET/SADD/ZADD, PEXPIREAT),
// produced in chunks so the primary streams it across event-loop turns while
// it keeps serving clients.
//
// The copy is taken at once when the sync starts: for each database a
// shallow copy of the key array, each string value by reference (JS strings
// are immutable; a Buffer value is marked exposed, so an in-place SETRANGE
// or SETBIT copies it first), each container cloned, and the TTLs. Later
// writes touch only the live keyspace; they reach the replica through the
// command stream that follows the snapshot from the offset of the copy.
//
// Large containers are split across several commands of at most
// ELEMENTS_PER_COMMAND elements (RPUSH/HSET/SADD/ZADD append), so no single
// command is huge. Pure: no I/O.

import type { Database } from '../keyspace/database.js';
import type { Value } from '../keyspace/values.js';
import { ListValue } from '../keyspace/types/list.js';
import { HashValue } from '../keyspace/types/hash.js';
import { SetValue } from '../keyspace/types/set.js';
import { ZSetValue } from '../keyspace/types/zset.js';
import { markExposed, stringText } from '../keyspace/types/strings.js';
import { formatDouble } from '../resp/writer.js';
import { encodedCommandBytes, writeCommand } from './resp-command.js';

/** Elements per RPUSH/HSET/SADD/ZADD when a container is split. */
export const ELEMENTS_PER_COMMAND = 512;

interface DbCopy {
  readonly index: number;
  readonly keys: string[];
  readonly values: Value[];
  /** Absolute expiry per key (NaN: none), parallel to keys. */
  readonly expires: Float64Array;
}

function copyValue(v: Value): Value {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) {
    markExposed(v);
    return v;
  }
  return v.clone();
}

export class KeyspaceSnapshot {
  private readonly copies: DbCopy[] = [];
  private readonly commands: Generator<string[]>;
  /** A command that did not fit the last chunk. */
  private pending: string[] | null = null;
  readonly keyCount: number;
  bytesProduced = 0;

  /**
   * Takes the copy now (O(keys) plus the container clones). `streamDb`, when
   * given, is selected last: the database the stream that follows is in
   * (a replica serving a sub-replica relays its primary's stream, which will
   * not re-select; Redis carries it in the RDB's repl-stream-db field).
   */
  constructor(
    dbs: readonly Database[],
    private readonly streamDb: number | null = null,
  ) {
    let keys = 0;
    for (const db of dbs) {
      const n = db.map.size;
      if (n === 0) continue;
      const ks = db.map.keys.slice(0, n);
      const vs = new Array<Value>(n);
      const ex = new Float64Array(n);
      const src = db.map.vals;
      for (let i = 0; i < n; i++) {
        vs[i] = copyValue(src[i]!);
        ex[i] = db.getExpire(ks[i]!) ?? NaN;
      }
      this.copies.push({ index: db.id, keys: ks, values: vs, expires: ex });
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

  private *generate(): Generator<string[]> {
    for (const copy of this.copies) {
      yield ['select', String(copy.index)];
      for (let i = 0; i < copy.keys.length; i++) {
        const key = copy.keys[i]!;
        yield* valueCommands(key, copy.values[i]!);
        const at = copy.expires[i]!;
        if (!Number.isNaN(at)) yield ['pexpireat', key, String(at)];
      }
    }
    if (this.streamDb !== null) yield ['select', String(this.streamDb)];
  }
}

/** The commands that recreate `key` holding `v`. */
export function* valueCommands(key: string, v: Value): Generator<string[]> {
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    yield ['set', key, stringText(v)];
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
