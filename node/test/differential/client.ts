// A raw RESP connection for the differential test: pipelines commands over
// one TCP socket and returns, per reply, the decoded value (RespDecoder) and
// the wire types of its frames. The decoder maps simple strings and bulk
// strings to the same JS string and every null kind to null; a client can see
// those differences (`+OK` vs `$2 OK`, `*-1` vs `$-1`), so a small frame
// walker records them alongside the value.

import net from 'node:net';
import { RespDecoder, encodeCommand, type RespValue } from '../../src/resp/decoder.js';

export interface Reply {
  readonly value: RespValue;
  /** Frame type markers of the reply, in wire order: '+', '$', '$-1', '*', '*-1', '_', ':', ',', '%', '~', ... */
  readonly types: readonly string[];
}

/** Walks RESP frames without decoding them, to find where each top-level reply ends and what types it holds. */
class FrameWalker {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** Type markers of the next complete top-level reply, or undefined if it is not complete yet. */
  next(): string[] | undefined {
    const start = this.pos;
    const types: string[] = [];
    if (this.frame(types)) return types;
    this.pos = start;
    return undefined;
  }

  private line(): string | undefined {
    const cr = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (cr < 0) return undefined;
    const s = this.buf.toString('latin1', this.pos, cr);
    this.pos = cr + 2;
    return s;
  }

  private frame(types: string[]): boolean {
    if (this.pos >= this.buf.length) return false;
    const t = String.fromCharCode(this.buf[this.pos]!);
    this.pos++;
    const l = this.line();
    if (l === undefined) return false;
    switch (t) {
      case '$':
      case '!':
      case '=': {
        if (l === '-1') {
          types.push(t + '-1');
          return true;
        }
        types.push(t);
        const n = Number(l);
        if (this.pos + n + 2 > this.buf.length) return false;
        this.pos += n + 2;
        return true;
      }
      case '*':
      case '~':
      case '>':
      case '%':
      case '|': {
        if (l === '-1') {
          types.push(t + '-1');
          return true;
        }
        types.push(t);
        const n = Number(l) * (t === '%' || t === '|' ? 2 : 1);
        for (let i = 0; i < n; i++) if (!this.frame(types)) return false;
        // An attribute is followed by the value it annotates.
        return t === '|' ? this.frame(types) : true;
      }
      default:
        types.push(t);
        return true;
    }
  }
}

/** One pipelining connection to a server. Replies are matched to commands in order. */
export class RawClient {
  private readonly decoder = new RespDecoder();
  private readonly walker = new FrameWalker();
  private readonly waiting: { n: number; got: Reply[]; resolve: (r: Reply[]) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | null = null;

  private constructor(
    private readonly socket: net.Socket,
    readonly label: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error(`${label}: connection closed`)));
  }

  static connect(host: string, port: number, label: string): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => {
        s.off('error', reject);
        resolve(new RawClient(s, label));
      });
      s.once('error', reject);
    });
  }

  /** Sends the commands in one write and resolves with their replies, in order. */
  send(commands: readonly (readonly string[])[]): Promise<Reply[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (commands.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.waiting.push({ n: commands.length, got: [], resolve, reject });
      this.socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.decoder.feed(chunk);
    this.walker.feed(chunk);
    for (;;) {
      const types = this.walker.next();
      if (types === undefined) return;
      const value = this.decoder.next();
      if (value === undefined) {
        this.fail(new Error(`${this.label}: frame walker and decoder disagree`));
        return;
      }
      const w = this.waiting[0];
      if (!w) {
        // A reply nobody asked for (e.g. a push): the test never subscribes, so this is a protocol fault.
        this.fail(new Error(`${this.label}: unexpected reply ${JSON.stringify(String(value))}`));
        return;
      }
      w.got.push({ value, types });
      if (w.got.length === w.n) {
        this.waiting.shift();
        w.resolve(w.got);
      }
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }
}
