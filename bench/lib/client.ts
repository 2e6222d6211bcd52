// A minimal RESP client over one raw TCP socket for loading data with deep
// pipelining: a whole batch of commands goes out in one write and the batch
// is awaited reply by reply, so the server, not the client, is the limit.
// Replies are decoded with the project's RespDecoder.

import net from 'node:net';
import { RespDecoder, RespError, encodeCommand, type RespValue } from '../../node/src/resp/decoder.js';

export class RawClient {
  private readonly decoder = new RespDecoder();
  private waiting: { count: number; replies: RespValue[]; resolve: (r: RespValue[]) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (d: Buffer) => this.onData(d));
    const fail = (e: Error): void => {
      this.failure = e;
      this.waiting?.reject(e);
      this.waiting = null;
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed by server')));
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.off('error', reject);
        s.setNoDelay(true);
        resolve(new RawClient(s));
      });
      s.once('error', reject);
    });
  }

  private onData(d: Buffer): void {
    this.decoder.feed(d);
    const w = this.waiting;
    if (!w) return;
    for (let v = this.decoder.next(); v !== undefined; v = this.decoder.next()) {
      w.replies.push(v);
      if (w.replies.length === w.count) {
        this.waiting = null;
        w.resolve(w.replies);
        return;
      }
    }
  }

  /** Writes `bytes` (holding `count` commands) and resolves with their replies. */
  send(bytes: Buffer, count: number): Promise<RespValue[]> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { count, replies: [], resolve, reject };
      this.socket.write(bytes);
    });
  }

  async command(...args: string[]): Promise<RespValue> {
    const [reply] = await this.send(encodeCommand(args), 1);
    if (reply instanceof RespError) throw new Error(`${args[0] ?? ''}: ${reply.message}`);
    return reply ?? null;
  }

  /** INFO <section> parsed into field -> value. */
  async info(section: string): Promise<Map<string, string>> {
    const text = await this.command('INFO', section);
    const out = new Map<string, string>();
    if (typeof text !== 'string') return out;
    for (const line of text.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) out.set(line.slice(0, i), line.slice(i + 1));
    }
    return out;
  }

  close(): void {
    this.socket.removeAllListeners('close');
    this.socket.destroy();
  }
}

export interface LoadResult {
  keys: number;
  errors: number;
  firstError: string | null;
  seconds: number;
}

/**
 * Sends `keys` SETs (`<prefix><i>` -> value(i)) in pipelined batches of
 * `batch`, waiting for each batch's replies before the next one.
 */
export async function loadKeys(
  client: RawClient,
  keys: number,
  batch: number,
  prefix: string,
  value: (i: number) => string,
): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  let errors = 0;
  let firstError: string | null = null;
  for (let from = 0; from < keys; from += batch) {
    const to = Math.min(keys, from + batch);
    // Encoded by hand into one latin1 string: much cheaper than one Buffer per argument.
    const parts: string[] = [];
    for (let i = from; i < to; i++) {
      const k = prefix + i;
      const v = value(i);
      parts.push(`*3\r\n$3\r\nSET\r\n$${k.length}\r\n${k}\r\n$${v.length}\r\n${v}\r\n`);
    }
    const replies = await client.send(Buffer.from(parts.join(''), 'latin1'), to - from);
    for (const r of replies) {
      if (r instanceof RespError) {
        errors++;
        firstError ??= r.message;
      }
    }
  }
  return { keys, errors, firstError, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
