// An in-process node for unit tests: real NodeState, registry and dispatcher,
// a virtual clock and seeded randomness, and a transport that collects bytes.
// `h.run('SET', 'k', 'v')` returns the decoded reply.

import { NodeState, type NodeHost } from '../../src/commands/node-state.js';
import { Session, type Transport } from '../../src/commands/session.js';
import { Config } from '../../src/config/config.js';
import { ReplyWriter } from '../../src/resp/writer.js';
import { RespDecoder, encodeCommand, type RespValue } from '../../src/resp/decoder.js';
import { RespParser } from '../../src/resp/parser.js';
import { ALL_COMMANDS } from '../../src/commands/all.js';
import { SILENT_LOGGER } from '../../src/core/log.js';
import { seededRandom } from '../../src/core/random.js';

class MemoryTransport implements Transport {
  readonly decoder = new RespDecoder();
  closed = false;
  readonly remoteAddress = '127.0.0.1:50000';
  readonly localAddress = '127.0.0.1:6379';
  readonly fd = 8;
  write(bytes: Buffer): void {
    this.decoder.feed(bytes);
  }
  close(): void {
    this.closed = true;
  }
}

export interface TestClient {
  readonly session: Session;
  readonly transport: MemoryTransport;
  /** Runs one command and returns its reply (undefined if it blocked or was silent). */
  run(...args: (string | number)[]): RespValue | undefined;
  /** Replies delivered out of band (pub/sub pushes, unblocked pops). */
  pending(): RespValue[];
}

export class Harness implements NodeHost {
  readonly node: NodeState;
  readonly writer = new ReplyWriter();
  readonly config: Config;
  private current: TestClient | null = null;
  readonly pid = 1;
  readonly tcpPort = 6379;
  readonly executable = 'tessera-server';
  readonly configFile = '';
  shutdownRequested = false;

  constructor(opts: { seed?: number; nowMs?: number; config?: Record<string, string> } = {}) {
    this.config = new Config();
    for (const [k, v] of Object.entries(opts.config ?? {})) {
      const err = this.config.set(k, v);
      if (err) throw new Error(`config ${k}: ${err}`);
    }
    this.node = new NodeState({
      config: this.config,
      random: seededRandom(opts.seed ?? 1),
      host: this,
      runId: '0'.repeat(40),
      startMs: opts.nowMs ?? 1_700_000_000_000,
      logger: SILENT_LOGGER,
      commands: ALL_COMMANDS,
    });
    this.node.keyspace.nowMs = opts.nowMs ?? 1_700_000_000_000;
  }

  /** Advances the virtual clock and runs what the server cron would. */
  advance(ms: number): void {
    this.node.keyspace.nowMs += ms;
    this.node.blocking.expire(this.node.keyspace.nowMs);
  }

  client(): TestClient {
    const transport = new MemoryTransport();
    const session = new Session(this.node, transport, this.writer, this.node.clients.allocateId());
    this.node.clients.add(session);
    const tc: TestClient = {
      session,
      transport,
      run: (...args) => {
        const prev = this.current;
        this.current = tc;
        this.writer.resp = session.resp;
        this.node.dispatcher.execute(session, args.map(String));
        this.current = prev;
        const bytes = this.writer.take();
        if (bytes) transport.decoder.feed(bytes);
        const all = transport.decoder.all();
        return all.length ? all[all.length - 1] : undefined;
      },
      pending: () => transport.decoder.all(),
    };
    return tc;
  }

  deliver(s: Session, write: (w: ReplyWriter) => void): void {
    if (this.current && this.current.session === s) {
      write(this.writer);
      return;
    }
    const w = new ReplyWriter(1024);
    w.resp = s.resp;
    write(w);
    const b = w.take();
    if (b) s.transport.write(b);
  }

  shutdown(): string | null {
    this.shutdownRequested = true;
    return null;
  }

  resume(_s: Session): void {}

  blockingChanged(): void {}
}

/** Parses raw bytes with a fresh RespParser and returns the commands, for parser tests. */
export function parseAll(chunks: Buffer[]): { commands: string[][]; errors: string[] } {
  const commands: string[][] = [];
  const errors: string[] = [];
  const p = new RespParser({ maxBulkBytes: 512 * 1024 * 1024, maxQueryBytes: 1024 * 1024 * 1024 });
  const sink = {
    onCommand: (a: string[]) => {
      commands.push(a);
      return true;
    },
    onProtocolError: (r: string) => {
      errors.push(r);
    },
  };
  for (const c of chunks) p.feed(c, sink);
  return { commands, errors };
}

export { encodeCommand };
