// What a node sends down its replication stream, decided per command as
// Redis's call()/alsoPropagate do:
//  - a write command that changed the dataset is propagated as it was sent,
//    unless it replaced its propagation (`Session.propagate`: SPOP -> SREM,
//    EXPIRE -> PEXPIREAT, INCRBYFLOAT -> SET KEEPTTL, ...) or added commands
//    before itself (`Session.alsoPropagate`);
//  - keys removed by expiry or eviction are propagated as DEL, at once, so a
//    replica (which never expires keys itself) follows the primary;
//  - SELECT is inserted whenever the database of the next command differs
//    from the stream's;
//  - commands run by EXEC are wrapped in MULTI ... EXEC so a replica applies
//    them atomically too;
//  - a blocked client served later (BLPOP woken by a push) propagates the
//    equivalent non-blocking pop outside any command: emitted at once.
// "Changed the dataset" is the keyspace's dirty counter moving, minus the
// expiry/eviction deletions done during the command (already sent as DEL).
//
// Nothing is encoded while no replica ever attached (`sink` is null): the
// per-command cost is then one null check.

import type { Session } from '../commands/session.js';
import type { CompiledCommand } from '../commands/registry.js';
import { encodeCommand } from './resp-command.js';

/** Where propagated bytes go: the replication state (backlog, offset) and its senders. */
export interface PropagationSink {
  feed(bytes: Buffer): void;
  /** master_repl_offset after everything fed so far. */
  readonly offset: number;
}

interface CallContext {
  readonly session: Session;
  readonly isExec: boolean;
  readonly dirtyBefore: number;
  readonly offsetBefore: number;
  /** Expiry/eviction deletions during the call (each moved the dirty counter once). */
  implicitDeletes: number;
  /** Set by Session.propagate: what to send instead of the command itself. */
  replacement: string[][] | null;
}

export class Propagation {
  sink: PropagationSink | null = null;
  /** Database the replication stream has selected; -1 forces a SELECT first (new stream, full sync). */
  streamDb = -1;
  private readonly stack: CallContext[] = [];
  private execDepth = 0;
  private multiOpen = false;
  /** Each client's offset after its last write (WAIT's target, Redis's c->woff). */
  private readonly writeOffsets = new WeakMap<Session, number>();

  constructor(private readonly dirty: () => number) {}

  /** Offset WAIT must see acknowledged for this client's writes. */
  lastWriteOffset(s: Session): number {
    return this.writeOffsets.get(s) ?? 0;
  }

  beforeCall(s: Session, cmd: CompiledCommand): void {
    const sink = this.sink;
    if (sink === null) return;
    const isExec = cmd.fullName === 'exec';
    if (isExec) this.execDepth++;
    this.stack.push({ session: s, isExec, dirtyBefore: this.dirty(), offsetBefore: sink.offset, implicitDeletes: 0, replacement: null });
  }

  afterCall(s: Session, cmd: CompiledCommand, args: string[]): void {
    const sink = this.sink;
    if (sink === null) {
      // The stream stopped mid-command (a promotion cannot happen inside one): drop stale contexts.
      if (this.stack.length > 0) this.reset();
      return;
    }
    const ctx = this.stack.pop();
    if (ctx === undefined || ctx.session !== s) {
      // The stream started during this call (no context was opened): nothing to attribute.
      if (ctx !== undefined) this.stack.push(ctx);
      return;
    }
    if (this.dirty() - ctx.dirtyBefore - ctx.implicitDeletes > 0) {
      // A replacement counts only if the command changed something (it may have failed after choosing it).
      if (ctx.replacement !== null) for (const c of ctx.replacement) this.emit(s.dbIndex, c);
      else if (cmd.write) this.emit(s.dbIndex, args);
    }
    if (ctx.isExec) {
      this.execDepth--;
      if (this.execDepth === 0 && this.multiOpen) {
        this.multiOpen = false;
        this.emitRaw(['exec']);
      }
    }
    if (sink.offset !== ctx.offsetBefore) this.writeOffsets.set(s, sink.offset);
  }

  /** Session.propagate: the current command of `s` propagates `commands` instead of itself. */
  replace(s: Session, commands: string[][]): void {
    if (this.sink === null) return;
    const ctx = this.current(s);
    if (ctx) ctx.replacement = commands;
    else this.emitServed(s, commands);
  }

  /** Session.alsoPropagate: sends `args` now, ahead of the command itself. */
  also(s: Session, args: string[]): void {
    if (this.sink === null) return;
    if (this.current(s)) this.emit(s.dbIndex, args);
    else this.emitServed(s, [args]);
  }

  /** A key expired or was evicted: replicas delete it too. */
  keyDeleted(db: number, key: string): void {
    if (this.sink === null) return;
    const top = this.stack[this.stack.length - 1];
    if (top) top.implicitDeletes++;
    this.emit(db, ['del', key]);
  }

  /** A fresh stream (full sync, promotion): the next command selects its database explicitly. */
  reset(): void {
    this.stack.length = 0;
    this.execDepth = 0;
    this.multiOpen = false;
    this.streamDb = -1;
  }

  /** Sends an unattributed command (PING keepalive) with no database context. */
  emitRaw(args: string[]): void {
    this.sink?.feed(encodeCommand(args));
  }

  private current(s: Session): CallContext | null {
    const top = this.stack[this.stack.length - 1];
    return top !== undefined && top.session === s ? top : null;
  }

  /** A blocked client served outside its own command: emitted now, and it counts as its write. */
  private emitServed(s: Session, commands: string[][]): void {
    for (const c of commands) this.emit(s.dbIndex, c);
    this.writeOffsets.set(s, this.sink!.offset);
  }

  emit(db: number, args: string[]): void {
    const sink = this.sink;
    if (sink === null) return;
    if (this.execDepth > 0 && !this.multiOpen) {
      this.multiOpen = true;
      if (db !== this.streamDb) this.select(sink, db);
      sink.feed(encodeCommand(['multi']));
    }
    if (db !== this.streamDb) this.select(sink, db);
    sink.feed(encodeCommand(args));
  }

  private select(sink: PropagationSink, db: number): void {
    this.streamDb = db;
    sink.feed(encodeCommand(['select', String(db)]));
  }
}
