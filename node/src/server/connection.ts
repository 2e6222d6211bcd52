// One client connection: socket bytes into the RESP parser, each command to
// the dispatcher, and every reply of a batch out in one socket write. The
// reply writer is shared by all connections (the event loop runs one batch
// at a time), so a connection costs no buffer of its own while idle.

import type { Socket } from 'node:net';
import { RespParser, type CommandSink } from '../resp/parser.js';
import type { ReplyWriter } from '../resp/writer.js';
import { Session, type ReplyMode, type Transport } from '../commands/session.js';
import type { NodeState } from '../commands/node-state.js';
import { wallClockMs } from '../runtime/clock.js';

/** Pause reading from a client whose unsent replies exceed this. */
const OUTPUT_PAUSE_BYTES = 64 * 1024 * 1024;

export interface ConnectionHost {
  readonly node: NodeState;
  readonly writer: ReplyWriter;
  /** The connection whose batch is being processed, if any. */
  current: Connection | null;
  closed(c: Connection): void;
}

export class Connection implements CommandSink, Transport {
  readonly session: Session;
  readonly parser: RespParser;
  private closing = false;
  readonly remoteAddress: string;
  readonly localAddress: string;

  constructor(
    private readonly host: ConnectionHost,
    readonly socket: Socket,
  ) {
    const node = host.node;
    this.remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? 0}`;
    this.localAddress = `${socket.localAddress ?? '?'}:${socket.localPort ?? 0}`;
    this.session = new Session(node, this, host.writer, node.clients.allocateId());
    this.parser = new RespParser({
      maxBulkBytes: node.config.getNumber('proto-max-bulk-len'),
      maxQueryBytes: node.config.getNumber('client-query-buffer-limit'),
    });
    node.clients.add(this.session);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.teardown());
    socket.on('close', () => this.teardown());
    socket.on('drain', () => {
      if (socket.isPaused() && !this.closing) socket.resume();
    });
  }

  get fd(): number {
    const h = (this.socket as unknown as { _handle?: { fd?: number } })._handle;
    return h?.fd ?? -1;
  }

  private onData(chunk: Buffer): void {
    const node = this.host.node;
    node.stats.totalNetInputBytes += chunk.length;
    node.keyspace.nowMs = wallClockMs();
    this.session.lastInteractionMs = node.keyspace.nowMs;
    this.runBatch(() => this.parser.feed(chunk, this));
  }

  /** Runs `work` with this connection's replies going to the shared writer, then flushes. */
  runBatch(work: () => void): void {
    const host = this.host;
    const prev = host.current;
    if (prev && prev !== this) prev.flush();
    host.current = this;
    host.writer.resp = this.session.resp;
    try {
      work();
    } finally {
      this.flush();
      host.current = prev;
      if (prev) host.writer.resp = prev.session.resp;
    }
    if (this.session.closeAfterReply) this.close();
  }

  /** Resumes parsing after the session was unblocked. */
  resume(): void {
    if (this.closing) return;
    this.runBatch(() => {
      // A command held by CLIENT PAUSE runs before the rest of the pipeline.
      const parked = this.session.parkedArgs;
      if (parked) {
        this.session.parkedArgs = null;
        if (!this.onCommand(parked)) return;
      }
      this.parser.resume(this);
    });
  }

  onCommand(args: string[]): boolean {
    const s = this.session;
    const out = this.host.writer;
    if (s.replyMode !== 'on') {
      const mark = out.mark();
      const mode = s.replyMode;
      this.host.node.dispatcher.execute(s, args);
      // The command may have changed the mode (CLIENT REPLY ON must answer).
      const after = s.replyMode as ReplyMode;
      if (mode === 'skip') {
        out.truncate(mark);
        if (after === 'skip') s.replyMode = 'on';
      } else if (after !== 'on') out.truncate(mark);
    } else {
      this.host.node.dispatcher.execute(s, args);
    }
    return !s.closeAfterReply && s.blocked === null && s.parkedArgs === null;
  }

  onProtocolError(reason: string): void {
    const s = this.session;
    if (this.parser.overLimit) {
      this.host.node.logger.warn('closing client that reached max query buffer length', { client: this.remoteAddress, id: s.id });
    } else {
      s.error(`ERR Protocol error: ${reason}`);
      this.host.node.logger.info('protocol error from client', { client: this.remoteAddress, id: s.id, reason });
    }
    s.closeAfterReply = true;
  }

  /** Writes everything the shared writer holds for this connection. */
  flush(): void {
    const chunks = this.host.writer.takeChunks();
    if (chunks.length === 0 || this.closing) return;
    const node = this.host.node;
    if (node.beforeReplies !== null) node.beforeReplies();
    const sock = this.socket;
    if (chunks.length === 1) {
      node.stats.totalNetOutputBytes += chunks[0]!.length;
      sock.write(chunks[0]!);
    } else {
      sock.cork();
      for (const c of chunks) {
        node.stats.totalNetOutputBytes += c.length;
        sock.write(c);
      }
      sock.uncork();
    }
    if (sock.writableLength > OUTPUT_PAUSE_BYTES) sock.pause();
  }

  /** Transport.write: bytes for this client produced outside its batch. */
  write(bytes: Buffer): void {
    if (this.closing) return;
    const node = this.host.node;
    if (node.beforeReplies !== null) node.beforeReplies();
    node.stats.totalNetOutputBytes += bytes.length;
    this.socket.write(bytes);
  }

  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.end();
    this.teardown();
  }

  private tornDown = false;

  private teardown(): void {
    if (this.tornDown) return;
    this.tornDown = true;
    this.closing = true;
    const node = this.host.node;
    node.clients.remove(this.session);
    node.watches.unwatchAll(this.session);
    node.pubsub.removeSession(this.session);
    node.blocking.removeSession(this.session);
    if (!this.socket.destroyed) this.socket.destroySoon();
    this.host.closed(this);
  }
}
