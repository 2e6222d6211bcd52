// Decodes RESP2/RESP3 replies into JS values. Used by tests, the differential
// checker and the coordinator's CLI; not on the server's hot path.

export type RespValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | RespError
  | RespValue[]
  | RespMap
  | RespSet
  | RespPush
  | RespVerbatim
  | RespDouble;

export class RespError {
  constructor(readonly message: string) {}
  get code(): string {
    const sp = this.message.indexOf(' ');
    return sp < 0 ? this.message : this.message.slice(0, sp);
  }
}
export class RespMap {
  constructor(readonly entries: [RespValue, RespValue][]) {}
}
export class RespSet {
  constructor(readonly items: RespValue[]) {}
}
export class RespPush {
  constructor(readonly items: RespValue[]) {}
}
export class RespVerbatim {
  constructor(
    readonly format: string,
    readonly text: string,
  ) {}
}
export class RespDouble {
  constructor(
    readonly text: string,
    readonly value: number,
  ) {}
}

/** Incremental decoder: feed bytes, take complete values. Strings are latin1. */
export class RespDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;

  feed(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
  }

  /** Next complete value, or undefined if more bytes are needed. */
  next(): RespValue | undefined {
    const start = this.pos;
    try {
      return this.value();
    } catch (e) {
      if (e === INCOMPLETE) {
        this.pos = start;
        return undefined;
      }
      throw e;
    }
  }

  all(): RespValue[] {
    const out: RespValue[] = [];
    for (;;) {
      const v = this.next();
      if (v === undefined) return out;
      out.push(v);
    }
  }

  private line(): string {
    const cr = this.buf.indexOf('\r\n', this.pos, 'latin1');
    if (cr < 0) throw INCOMPLETE;
    const s = this.buf.toString('latin1', this.pos, cr);
    this.pos = cr + 2;
    return s;
  }

  private bytes(n: number): string {
    if (this.pos + n + 2 > this.buf.length) throw INCOMPLETE;
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n + 2;
    return s;
  }

  private items(n: number): RespValue[] {
    const out: RespValue[] = [];
    for (let i = 0; i < n; i++) out.push(this.value());
    return out;
  }

  private value(): RespValue {
    if (this.pos >= this.buf.length) throw INCOMPLETE;
    const t = String.fromCharCode(this.buf[this.pos]!);
    this.pos++;
    const l = this.line();
    switch (t) {
      case '+':
        return l;
      case '-':
        return new RespError(l);
      case ':':
        return Number.isSafeInteger(Number(l)) ? Number(l) : BigInt(l);
      case '$':
        return l === '-1' ? null : this.bytes(Number(l));
      case '*':
        return l === '-1' ? null : this.items(Number(l));
      case '_':
        return null;
      case '#':
        return l === 't';
      case ',':
        return new RespDouble(l, l === 'inf' ? Infinity : l === '-inf' ? -Infinity : Number(l));
      case '(':
        return BigInt(l);
      case '!':
        return new RespError(this.bytes(Number(l)));
      case '=': {
        const s = this.bytes(Number(l));
        return new RespVerbatim(s.slice(0, 3), s.slice(4));
      }
      case '%': {
        const n = Number(l);
        const entries: [RespValue, RespValue][] = [];
        for (let i = 0; i < n; i++) entries.push([this.value(), this.value()]);
        return new RespMap(entries);
      }
      case '~':
        return new RespSet(this.items(Number(l)));
      case '>':
        return new RespPush(this.items(Number(l)));
      case '|': {
        // Attribute: skip it and return the value that follows.
        const n = Number(l);
        for (let i = 0; i < n * 2; i++) this.value();
        return this.value();
      }
      default:
        throw new Error(`bad RESP type byte '${t}'`);
    }
  }
}

const INCOMPLETE = Symbol('incomplete');

/** Encodes a command as a RESP multibulk (for tests and tools). */
export function encodeCommand(args: readonly (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a, 'latin1') : a;
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}
