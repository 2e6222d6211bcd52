// The socket side of MIGRATE: connections from this node to other nodes,
// cached per host:port for 10 s of idleness (as Redis's
// migrate_cached_sockets, at most 64 of them), each remembering the
// database it last SELECTed. One exchange at a time per connection: a
// second MIGRATE to the same target queues behind the first, so replies
// never interleave. The command logic (what to send, what a reply means)
// lives in commands/generic/migrate.ts behind the MigrateConnector interface.

import net from 'node:net';
import { RespDecoder, RespError } from '../resp/decoder.js';
import type { MigrateConnector, MigrateExchange, MigrateLink, MigrateReply } from '../commands/generic/migrate.js';
import type { NodeState } from '../commands/node-state.js';
import { setMigrateConnector } from '../commands/generic/migrate.js';

/** MIGRATE_SOCKET_CACHE_TTL: idle seconds before a cached connection is closed. */
const CACHE_TTL_MS = 10_000;
/** MIGRATE_SOCKET_CACHE_ITEMS. */
const CACHE_MAX = 64;

class CachedLink implements MigrateLink {
  lastDbid = -1;
  lastUseMs = Date.now();
  /** The tail of this link's exchange queue. */
  queue: Promise<unknown> = Promise.resolve();
  readonly decoder = new RespDecoder();
  /** Called with each decoded reply while an exchange is reading. */
  onReply: ((r: MigrateReply) => void) | null = null;
  onFailure: ((e: Error) => void) | null = null;
  dead = false;

  constructor(
    readonly name: string,
    readonly socket: net.Socket,
  ) {
    socket.on('data', (chunk: Buffer) => {
      this.decoder.feed(chunk);
      for (;;) {
        let v;
        try {
          v = this.decoder.next();
        } catch (e) {
          this.fail(e as Error);
          return;
        }
        if (v === undefined) break;
        const reply: MigrateReply = v instanceof RespError ? { error: true, text: v.message } : { error: false, text: String(v) };
        if (this.onReply) this.onReply(reply);
      }
    });
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  private fail(e: Error): void {
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

  exchange(link: MigrateLink, chunks: readonly Buffer[], replyCount: number, timeoutMs: number): Promise<MigrateExchange> {
    const l = link as CachedLink;
    const run = (): Promise<MigrateExchange> => this.runExchange(l, chunks, replyCount, timeoutMs);
    const result = l.queue.then(run, run);
    l.queue = result.catch(() => undefined);
    return result;
  }

  private runExchange(l: CachedLink, chunks: readonly Buffer[], replyCount: number, timeoutMs: number): Promise<MigrateExchange> {
    return new Promise((resolve) => {
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
        if (ioError) this.drop(l.name);
        resolve({ replies, ioError, timedOut });
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
        arm();
        if (replies.length === replyCount) finish(null, false);
      };
      l.onFailure = () => finish(unflushed > 0 ? 'writing' : 'reading', false);
      arm();
      // One writev for the whole batch (AUTH, SELECT, the RESTOREs): a
      // separate write per key costs a syscall and a packet each, and lets
      // the target parse the batch over several reads.
      l.socket.cork();
      for (const c of chunks) {
        l.socket.write(c, () => {
          unflushed--;
          if (!done) arm();
        });
      }
      l.socket.uncork();
    });
  }

  pause(): Promise<void> {
    return new Promise((resolve) => setImmediate(resolve));
  }

  close(host: string, port: number): void {
    this.drop(`${host}:${port}`);
  }

  private drop(name: string): void {
    const l = this.links.get(name);
    if (!l) return;
    this.links.delete(name);
    l.dead = true;
    l.socket.destroy();
  }

  private sweep(): void {
    const now = Date.now();
    for (const [name, l] of this.links) if (now - l.lastUseMs > CACHE_TTL_MS && l.onReply === null) this.drop(name);
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
