// The socket side of MIGRATE: connections from this node to other nodes,
// cached per host:port for 10 s of idleness (as Redis's
// migrate_cached_sockets, at most 64 of them), each remembering the
// database it last SELECTed. One exchange at a time per connection: a
// second MIGRATE to the same target queues behind the first, so replies
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
  /** Exchanges waiting for the current one to finish. */
  readonly waiting: PendingExchange[] = [];
  /** An exchange is running (its replies are being read). */
  busy = false;
  /** Bytes of a reply line split across reads. */
  private partial: Buffer | null = null;
  /** Called with each reply while an exchange is reading. */
  onReply: ((r: MigrateReply) => void) | null = null;
  onFailure: ((e: Error) => void) | null = null;
  dead = false;

  constructor(
    readonly name: string,
    readonly socket: net.Socket,
  ) {
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

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
      if (this.onReply) this.onReply(reply);
      if (this.dead) return;
    }
    if (at < buf.length) {
      if (buf.length - at > MAX_REPLY_LINE_BYTES) return this.fail(new Error('reply line too long'));
      this.partial = Buffer.from(buf.subarray(at));
    }
  }

  fail(e: Error): void {
    this.dead = true;
    const f = this.onFailure;
    this.onFailure = null;
    if (f) f(e);
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
        const link = new CachedLink(name, socket);
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
    const l = link as CachedLink;
    const p: PendingExchange = { chunks, replyCount, timeoutMs, done };
    if (l.busy) {
      l.waiting.push(p);
      return;
    }
    l.busy = true;
    if (l.dead) {
      // The caller expects its callback after exchange returns.
      process.nextTick(() => this.runExchange(l, p));
      return;
    }
    this.runExchange(l, p);
  }

  /** Runs one exchange, then the next queued one on the same link. */
  private runExchange(l: CachedLink, p: PendingExchange): void {
    const { chunks, replyCount, timeoutMs } = p;
    const replies: MigrateReply[] = [];
    let unflushed = chunks.length;
    let timer: NodeJS.Timeout | null = null;
    let done = false;
    const finish = (ioError: MigrateExchange['ioError'], timedOut: boolean): void => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      l.onReply = null;
      l.onFailure = null;
      l.lastUseMs = Date.now();
      if (ioError) this.dropLink(l);
      try {
        p.done({ replies, ioError, timedOut });
      } finally {
        const next = l.waiting.shift();
        if (next !== undefined) this.runExchange(l, next);
        else l.busy = false;
      }
    };
    // The timeout is per I/O step, as Redis's syncWrite/syncReadLine: any progress re-arms it.
    const arm = (): void => {
      if (timer) timer.refresh();
      else timer = setTimeout(() => finish(unflushed > 0 ? 'writing' : 'reading', true), timeoutMs);
    };
    if (l.dead) {
      finish('writing', false);
      return;
    }
    l.onReply = (r) => {
      replies.push(r);
      if (replies.length === replyCount) finish(null, false);
      else arm();
    };
    l.onFailure = () => finish(unflushed > 0 ? 'writing' : 'reading', false);
    arm();
    const flushed = (): void => {
      unflushed--;
      if (!done) arm();
    };
    if (chunks.length === 1) {
      l.socket.write(chunks[0]!, flushed);
      return;
    }
    // One writev for the whole batch (AUTH, SELECT, the RESTOREs): a
    // separate write per key costs a syscall and a packet each, and lets
    // the target parse the batch over several reads.
    l.socket.cork();
    for (const c of chunks) l.socket.write(c, flushed);
    l.socket.uncork();
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
