// The socket side of MIGRATE: connections from this node to other nodes,
// cached per host:port for 10 s of idleness (as Redis's
// migrate_cached_sockets, at most 64 of them), each remembering the
// database it last SELECTed. Exchanges on one connection are pipelined (up
// to MAX_PIPELINED written ahead) and their replies read in order, so they
// never interleave. The command logic (what to send, what a reply means)
// lives in commands/generic/migrate.ts behind the MigrateConnector interface.

import net from 'node:net';
import type { MigrateConnector, MigrateExchange, MigrateLink, MigrateReply } from '../commands/generic/migrate.js';
import type { NodeState } from '../commands/node-state.js';
import { setMigrateConnector } from '../commands/generic/migrate.js';

/** MIGRATE_SOCKET_CACHE_TTL: idle seconds before a cached connection is closed. */
const CACHE_TTL_MS = 10_000;
/** MIGRATE_SOCKET_CACHE_ITEMS. */
const CACHE_MAX = 64;
/**
 * Exchanges written on one link before the first is answered. The target
 * answers a connection's commands in order, so MIGRATEs from several clients
 * (a coordinator moving slots in parallel) share the link pipelined instead
 * of each waiting a round trip for the one before.
 */
const MAX_PIPELINED = 16;
/** A reply line longer than this means the peer is not speaking RESP to us. */
const MAX_REPLY_LINE_BYTES = 64 * 1024;

const CR = 0x0d;
const LF = 0x0a;
/** The reply of nearly every RESTORE, shared rather than allocated per key. */
const OK: MigrateReply = Object.freeze({ error: false, text: 'OK' });

interface PendingExchange {
  readonly chunks: readonly Buffer[];
  readonly replyCount: number;
  readonly timeoutMs: number;
  readonly done: (ex: MigrateExchange) => void;
}

/**
 * One reply per line, as Redis's migrateCommand reads them (syncReadLine):
 * every command MIGRATE sends (AUTH, SELECT, RESTORE, DEL) answers with a
 * status, an error or an integer, never a bulk or an array.
 */
function replyOf(line: Buffer, start: number, end: number): MigrateReply {
  if (end - start === 3 && line[start] === 0x2b && line[start + 1] === 0x4f && line[start + 2] === 0x4b) return OK;
  const first = line[start];
  return { error: first === 0x2d, text: line.latin1Slice(start + 1, end) };
}

class CachedLink implements MigrateLink {
  lastDbid = -1;
  lastUseMs = Date.now();
  /** Exchanges written and not yet answered, oldest first; replies belong to the head. */
  private readonly inflight: PendingExchange[] = [];
  /** Exchanges beyond MAX_PIPELINED, written as earlier ones complete. */
  private readonly waiting: PendingExchange[] = [];
  private replies: MigrateReply[] = [];
  /**
   * One timer per link, re-armed (refresh) on each exchange and each read
   * rather than created per exchange; it fires into an idle link harmlessly.
   */
  private timer: NodeJS.Timeout | null = null;
  private timerMs = -1;
  /** Bytes of a reply line split across reads. */
  private partial: Buffer | null = null;
  dead = false;

  constructor(
    readonly name: string,
    readonly socket: net.Socket,
    /** Called when an exchange fails on this link (the client forgets it). */
    private readonly broken: (l: CachedLink) => void,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', () => this.fail(false));
    socket.on('close', () => this.fail(false));
  }

  get busy(): boolean {
    return this.inflight.length > 0 || this.waiting.length > 0;
  }

  /** Writes (or queues) an exchange; its callback never runs before this returns. */
  submit(p: PendingExchange): void {
    if (this.dead) {
      process.nextTick(() => p.done({ replies: [], ioError: 'writing', timedOut: false }));
      return;
    }
    if (this.inflight.length >= MAX_PIPELINED) {
      this.waiting.push(p);
      return;
    }
    this.start(p);
  }

  private start(p: PendingExchange): void {
    this.inflight.push(p);
    // The timeout is per I/O step, as Redis's syncWrite/syncReadLine: each read re-arms it.
    if (this.timer !== null && this.timerMs === p.timeoutMs) {
      this.timer.refresh();
    } else {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = setTimeout(() => this.fail(true), p.timeoutMs);
      this.timer.unref();
      this.timerMs = p.timeoutMs;
    }
    const chunks = p.chunks;
    if (chunks.length === 1) {
      this.socket.write(chunks[0]!);
      return;
    }
    // One writev for the whole batch (AUTH, SELECT, the RESTOREs): a
    // separate write per key costs a syscall and a packet each, and lets
    // the target parse the batch over several reads.
    // Several chunks (a big payload among them) re-arm the timer as each is flushed.
    this.socket.cork();
    for (const c of chunks) this.socket.write(c, this.progress);
    this.socket.uncork();
  }

  private readonly progress = (): void => {
    if (this.inflight.length > 0 && this.timer !== null) this.timer.refresh();
  };

  private read(chunk: Buffer): void {
    let buf = chunk;
    if (this.partial !== null) {
      buf = Buffer.concat([this.partial, chunk]);
      this.partial = null;
    }
    let at = 0;
    for (;;) {
      const lf = buf.indexOf(LF, at);
      if (lf < 0) break;
      const end = lf > at && buf[lf - 1] === CR ? lf - 1 : lf;
      const reply = replyOf(buf, at, end);
      at = lf + 1;
      const p = this.inflight[0];
      // A reply with no exchange waiting for it (a late one) is dropped.
      if (p === undefined) continue;
      this.replies.push(reply);
      if (this.replies.length === p.replyCount) this.completeHead();
    }
    if (at < buf.length) {
      if (buf.length - at > MAX_REPLY_LINE_BYTES) return this.fail(false);
      this.partial = Buffer.from(buf.subarray(at));
    }
    if (this.inflight.length > 0 && this.timer !== null) this.timer.refresh();
  }

  /** The head exchange has all its replies: hand them over, let a waiting exchange in. */
  private completeHead(): void {
    const p = this.inflight.shift()!;
    const replies = this.replies;
    this.replies = [];
    this.lastUseMs = Date.now();
    const next = this.waiting.shift();
    if (next !== undefined) this.start(next);
    p.done({ replies, ioError: null, timedOut: false });
  }

  /**
   * A socket error, close or timeout: every exchange on the link ends, the
   * head with the replies it has read, the ones behind it with none (their
   * RESTOREs may or may not have run on the target, exactly as for a single
   * exchange whose replies were lost; MIGRATE keeps those keys here).
   */
  fail(timedOut: boolean): void {
    this.dead = true;
    if (!this.busy) return;
    // Bytes still queued in the socket: the failure happened while writing.
    const ioError: MigrateExchange['ioError'] = this.socket.writableLength > 0 ? 'writing' : 'reading';
    const ended = this.inflight.splice(0);
    const queued = this.waiting.splice(0);
    const headReplies = this.replies;
    this.replies = [];
    this.lastUseMs = Date.now();
    this.broken(this);
    ended.forEach((p, i) => p.done({ replies: i === 0 ? headReplies : [], ioError, timedOut }));
    for (const p of queued) p.done({ replies: [], ioError: 'writing', timedOut: false });
  }

  /** Stops the timer (the link is being dropped). */
  stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class MigrateClient implements MigrateConnector {
  private readonly links = new Map<string, CachedLink>();
  private readonly sweeper: NodeJS.Timeout;

  constructor() {
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  cached(host: string, port: number): MigrateLink | null {
    const l = this.links.get(`${host}:${port}`);
    if (l === undefined || l.dead) return null;
    l.lastUseMs = Date.now();
    return l;
  }

  connect(host: string, port: number, timeoutMs: number): Promise<MigrateLink | null> {
    const name = `${host}:${port}`;
    const cached = this.links.get(name);
    if (cached && !cached.dead) {
      cached.lastUseMs = Date.now();
      return Promise.resolve(cached);
    }
    if (cached) this.close(host, port);
    if (this.links.size >= CACHE_MAX) {
      // Too many: drop one at random, as Redis does.
      const names = [...this.links.keys()];
      const victim = names[Math.floor(Math.random() * names.length)]!;
      this.drop(victim);
    }
    return new Promise((resolve) => {
      const socket = net.connect({ host, port, noDelay: true });
      const timer = setTimeout(() => {
        socket.destroy();
        resolve(null);
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const link = new CachedLink(name, socket, (l) => this.dropLink(l));
        this.links.set(name, link);
        resolve(link);
      });
      socket.once('error', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve(null);
      });
    });
  }

  exchange(link: MigrateLink, chunks: readonly Buffer[], replyCount: number, timeoutMs: number, done: (ex: MigrateExchange) => void): void {
    (link as CachedLink).submit({ chunks, replyCount, timeoutMs, done });
  }

  pause(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  close(host: string, port: number): void {
    this.drop(`${host}:${port}`);
  }

  private drop(name: string): void {
    const l = this.links.get(name);
    if (l) this.dropLink(l);
  }

  /** Closes l; forgets it only if it is still the cached link of its target (a newer one may be). */
  private dropLink(l: CachedLink): void {
    if (this.links.get(l.name) === l) this.links.delete(l.name);
    l.dead = true;
    l.stopTimer();
    l.socket.destroy();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [name, l] of this.links) if (now - l.lastUseMs > CACHE_TTL_MS && !l.busy) this.drop(name);
  }

  /** Closes every cached connection (server stop). */
  stop(): void {
    clearInterval(this.sweeper);
    for (const name of [...this.links.keys()]) this.drop(name);
  }
}

/** Gives the node a real MIGRATE connector. */
export function installMigrateClient(node: NodeState): MigrateClient {
  const client = new MigrateClient();
  setMigrateConnector(node, client);
  return client;
}
