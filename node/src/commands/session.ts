// A Session is the state of one client connection that commands see: the
// selected database, protocol version, authentication, the MULTI queue and
// watched keys, subscriptions and blocking state. The socket lives in the
// server adapter behind the small Transport interface, so commands never do
// I/O and tests can run commands against an in-memory transport.

import type { Database } from '../keyspace/database.js';
import type { ReplyWriter, RespVersion } from '../resp/writer.js';
import type { NodeState } from './node-state.js';
import type { CompiledCommand } from './registry.js';

export interface Transport {
  /** Sends bytes to the client now (replies produced outside its own batch). */
  write(bytes: Buffer): void;
  /** Closes the connection after pending writes are flushed. */
  close(): void;
  readonly remoteAddress: string; // "ip:port"
  readonly localAddress: string; // "ip:port"
  readonly fd: number;
}

export type ReplyMode = 'on' | 'off' | 'skip';

export interface QueuedCommand {
  readonly cmd: CompiledCommand;
  readonly args: string[];
}

export class Session {
  readonly id: number;
  name = '';
  dbIndex = 0;
  db: Database;
  resp: RespVersion = 2;
  authenticated: boolean;
  user = 'default';
  libName = '';
  libVersion = '';
  readonly createdMs: number;
  lastInteractionMs: number;
  lastCommand = 'NULL';
  replyMode: ReplyMode = 'on';
  noEvict = false;
  /** Set when QUIT/kill asked to close after the reply is written. */
  closeAfterReply = false;
  /** MULTI state. */
  inMulti = false;
  multiQueue: QueuedCommand[] = [];
  /** A queued command was rejected: EXEC must abort. */
  multiError = false;
  /** A watched key was touched: EXEC must fail with a null reply. */
  watchDirty = false;
  /** Watched keys as "db\0key" strings (the WATCH service keeps the reverse index). */
  readonly watched = new Set<string>();
  /** Pub/Sub subscriptions. */
  readonly channels = new Set<string>();
  readonly patterns = new Set<string>();
  readonly shardChannels = new Set<string>();
  /** Blocked on keys (BLPOP & co.): the service's record, or null. */
  blocked: unknown = null;
  /** Cluster mode: the next command may touch an importing slot (ASKING). */
  asking = false;
  /** Cluster mode: reads allowed on a replica (READONLY). */
  readOnly = false;
  /** Extra flag letters for CLIENT LIST (e.g. 'S' replica, 'M' primary). */
  kindFlags = '';
  /**
   * EXEC is running this session's queue: blocking commands must reply as on
   * timeout instead of blocking (Redis's CLIENT_DENY_BLOCKING under MULTI).
   */
  inExec = false;
  /**
   * A command held by CLIENT PAUSE, to run again when the pause ends; the
   * connection stops parsing while it is set, so a pipeline keeps its order.
   */
  parkedArgs: string[] | null = null;

  constructor(
    readonly node: NodeState,
    readonly transport: Transport,
    readonly out: ReplyWriter,
    id: number,
  ) {
    this.id = id;
    this.db = node.keyspace.db(0);
    this.authenticated = !node.config.requirepass();
    this.createdMs = node.keyspace.nowMs;
    this.lastInteractionMs = this.createdMs;
  }

  /** Current time in ms for this command (the keyspace clock). */
  get nowMs(): number {
    return this.node.keyspace.nowMs;
  }

  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** In RESP2 a subscribed client may only run (P|S)(UN)SUBSCRIBE, PING, QUIT, RESET. */
  get inPubSubMode(): boolean {
    return this.resp === 2 && this.subscriptionCount > 0;
  }

  select(index: number): void {
    this.dbIndex = index;
    this.db = this.node.keyspace.db(index);
  }

  /** Writes an error reply and counts it by its code (errorstats). */
  error(message: string): void {
    this.out.error(message);
    const sp = message.indexOf(' ');
    this.node.stats.countError(sp < 0 ? message : message.slice(0, sp));
  }

  /**
   * Replication: the running command propagates these commands instead of
   * itself (none: nothing), as Redis's rewriteClientCommandVector and
   * preventCommandPropagation. Outside a command (a blocked client being
   * served) they are propagated at once.
   */
  propagate(...commands: string[][]): void {
    this.node.propagation.replace(this, commands);
  }

  /** Replication: also propagates `args`, ahead of the command itself (Redis's alsoPropagate). */
  alsoPropagate(args: string[]): void {
    this.node.propagation.also(this, args);
  }

  /** Emits a keyspace notification for a key in the selected database. */
  notify(cls: string, event: string, key: string): void {
    this.node.notify(cls, event, key, this.dbIndex);
  }
}
