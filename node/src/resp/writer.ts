// ReplyWriter encodes replies straight into one growing byte buffer, so a
// batch of pipelined commands costs one socket write and no per-reply objects.
// Every value in Tessera is a latin1 ("binary") string or a Buffer: latin1 maps
// each byte to one UTF-16 unit, so keys and values round-trip byte for byte.
//
// The writer knows the protocol version of the client it is writing for and
// maps RESP3 types (map, set, double, null, push, boolean) onto RESP2 shapes
// exactly as Redis does.

/** Strings up to this length are copied in JS rather than by a native call (measured crossover). */
const SHORT_STRING_CHARS = 64;

/** Values larger than this are written as separate chunks instead of copied. */
const BIG_VALUE_BYTES = 32 * 1024;

export type RespVersion = 2 | 3;

export class ReplyWriter {
  private buf: Buffer;
  private pos = 0;
  /** Completed segments when a big value was appended without copying. */
  private chunks: Buffer[] = [];
  private chunkBytes = 0;
  resp: RespVersion = 2;

  constructor(initialBytes = 64 * 1024) {
    this.buf = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Bytes written since the last take(). */
  get length(): number {
    return this.chunkBytes + this.pos;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  private ascii(s: string): void {
    this.ensure(s.length);
    this.pos += this.buf.latin1Write(s, this.pos);
  }

  private crlf(): void {
    const buf = this.buf;
    buf[this.pos++] = 13;
    buf[this.pos++] = 10;
  }

  /** Decimal digits of n at pos; small non-negative integers without a native call. */
  private digits(n: number): void {
    const buf = this.buf;
    if (n >= 0 && n < 10000 && Number.isInteger(n)) {
      if (n >= 1000) buf[this.pos++] = 48 + ((n / 1000) | 0);
      if (n >= 100) buf[this.pos++] = 48 + (((n / 100) | 0) % 10);
      if (n >= 10) buf[this.pos++] = 48 + (((n / 10) | 0) % 10);
      buf[this.pos++] = 48 + (n % 10);
      return;
    }
    this.pos += buf.latin1Write(String(n), this.pos);
  }

  /**
   * Copies a short latin1 string byte by byte: for the small keys and values
   * of typical traffic this beats a native latin1Write call severalfold.
   */
  private chars(v: string): void {
    const len = v.length;
    if (len > SHORT_STRING_CHARS) {
      this.pos += this.buf.latin1Write(v, this.pos);
      return;
    }
    const buf = this.buf;
    const pos = this.pos;
    for (let i = 0; i < len; i++) buf[pos + i] = v.charCodeAt(i);
    this.pos = pos + len;
  }

  private header(prefix: string, n: number): void {
    this.ensure(24);
    this.buf[this.pos++] = prefix.charCodeAt(0);
    this.digits(n);
    this.crlf();
  }

  /** Appends already-encoded RESP bytes. */
  raw(bytes: Buffer | string): void {
    if (typeof bytes === 'string') {
      this.ascii(bytes);
      return;
    }
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.pos);
    this.pos += bytes.length;
  }

  simple(s: string): void {
    this.ensure(s.length + 3);
    this.buf[this.pos++] = 0x2b; // '+'
    this.chars(s);
    this.crlf();
  }

  ok(): void {
    this.ensure(5);
    const buf = this.buf;
    const p = this.pos;
    buf[p] = 0x2b; // "+OK\r\n"
    buf[p + 1] = 0x4f;
    buf[p + 2] = 0x4b;
    buf[p + 3] = 13;
    buf[p + 4] = 10;
    this.pos = p + 5;
  }

  /** Writes `-<message>`; the message carries its own code (ERR, WRONGTYPE, ...). */
  error(message: string): void {
    // A reply must stay one line whatever the message holds.
    const clean = message.indexOf('\r') >= 0 || message.indexOf('\n') >= 0 ? message.replace(/[\r\n]+/g, ' ') : message;
    this.ensure(clean.length + 3);
    this.buf[this.pos++] = 0x2d; // '-'
    this.pos += this.buf.latin1Write(clean, this.pos);
    this.crlf();
  }

  int(n: number): void {
    this.header(':', n);
  }

  bulk(v: string | Buffer): void {
    const len = typeof v === 'string' ? v.length : v.length;
    if (len >= BIG_VALUE_BYTES) {
      this.header('$', len);
      this.pushChunk(typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
      this.ensure(2);
      this.crlf();
      return;
    }
    this.ensure(len + 16);
    this.buf[this.pos++] = 0x24; // '$'
    this.digits(len);
    this.crlf();
    if (typeof v === 'string') this.chars(v);
    else {
      v.copy(this.buf, this.pos);
      this.pos += len;
    }
    this.crlf();
  }

  /** Bulk string of a number's decimal text (e.g. INCRBYFLOAT's reply). */
  bulkNumber(n: number | bigint): void {
    this.bulk(String(n));
  }

  private pushChunk(b: Buffer): void {
    if (this.pos > 0) {
      const seg = Buffer.allocUnsafe(this.pos);
      this.buf.copy(seg, 0, 0, this.pos);
      this.chunks.push(seg);
      this.chunkBytes += this.pos;
      this.pos = 0;
    }
    this.chunks.push(b);
    this.chunkBytes += b.length;
  }

  /** The null bulk string (`$-1` in RESP2, `_` in RESP3). */
  nil(): void {
    this.ensure(5);
    this.pos += this.buf.latin1Write(this.resp === 3 ? '_\r\n' : '$-1\r\n', this.pos);
  }

  /** The null array (`*-1` in RESP2, `_` in RESP3). */
  nilArray(): void {
    this.ensure(5);
    this.pos += this.buf.latin1Write(this.resp === 3 ? '_\r\n' : '*-1\r\n', this.pos);
  }

  array(n: number): void {
    this.header('*', n);
  }

  /** A map of n pairs; RESP2 sees a flat array of 2n elements. */
  map(n: number): void {
    if (this.resp === 3) this.header('%', n);
    else this.header('*', n * 2);
  }

  /** A set reply; RESP2 sees an array. */
  set(n: number): void {
    this.header(this.resp === 3 ? '~' : '*', n);
  }

  /** An out-of-band push (pub/sub messages); RESP2 sees an array. */
  push(n: number): void {
    this.header(this.resp === 3 ? '>' : '*', n);
  }

  /** Boolean: RESP3 `#t`/`#f`, RESP2 the integer 1/0. */
  bool(b: boolean): void {
    if (this.resp === 3) this.ascii(b ? '#t\r\n' : '#f\r\n');
    else this.ascii(b ? ':1\r\n' : ':0\r\n');
  }

  /** Double: RESP3 `,`, RESP2 a bulk string, formatted as Redis 7.0 does. */
  double(d: number): void {
    const text = formatDouble(d);
    if (this.resp === 3) {
      this.ensure(text.length + 3);
      this.buf[this.pos++] = 0x2c; // ','
      this.pos += this.buf.latin1Write(text, this.pos);
      this.crlf();
    } else this.bulk(text);
  }

  /** Verbatim string (INFO, CLIENT INFO...): RESP3 `=len\r\ntxt:...`, RESP2 bulk. */
  verbatim(text: string, format = 'txt'): void {
    if (this.resp !== 3) {
      this.bulk(text);
      return;
    }
    this.header('=', text.length + 4);
    this.ascii(format + ':');
    this.ascii(text);
    this.crlf();
  }

  /** Array of bulk strings. */
  bulks(items: readonly (string | Buffer)[]): void {
    this.array(items.length);
    for (const it of items) this.bulk(it);
  }

  /** Current write position, for commands that must undo their reply (CLIENT REPLY). */
  mark(): number {
    return this.length;
  }

  /** Drops everything written after `mark`, provided no big chunk was taken since. */
  truncate(mark: number): void {
    if (mark >= this.chunkBytes) this.pos = mark - this.chunkBytes;
    else {
      // A big value was split off after the mark: rebuild from the chunk list.
      const all = this.take();
      if (all) {
        const keep = all.subarray(0, mark);
        this.raw(keep);
      }
    }
  }

  /**
   * Returns everything written as one Buffer the caller owns (the internal
   * buffer is reused, so the bytes are copied), or null when nothing was.
   */
  take(): Buffer | null {
    if (this.chunks.length === 0) {
      if (this.pos === 0) return null;
      const out = Buffer.allocUnsafe(this.pos);
      this.buf.copy(out, 0, 0, this.pos);
      this.pos = 0;
      return out;
    }
    if (this.pos > 0) {
      const seg = Buffer.allocUnsafe(this.pos);
      this.buf.copy(seg, 0, 0, this.pos);
      this.chunks.push(seg);
    }
    const out = Buffer.concat(this.chunks);
    this.chunks = [];
    this.chunkBytes = 0;
    this.pos = 0;
    return out;
  }

  /** Like take(), but hands back the list of pieces so big values are not copied again. */
  takeChunks(): Buffer[] {
    if (this.chunks.length === 0) {
      const one = this.take();
      return one ? [one] : [];
    }
    if (this.pos > 0) {
      const seg = Buffer.allocUnsafe(this.pos);
      this.buf.copy(seg, 0, 0, this.pos);
      this.chunks.push(seg);
    }
    const out = this.chunks;
    this.chunks = [];
    this.chunkBytes = 0;
    this.pos = 0;
    return out;
  }
}

/**
 * Formats a double the way Redis 7.0's addReplyDouble does: "%.17g" with
 * inf/-inf/nan spelled as Redis spells them.
 */
export function formatDouble(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  return formatG17(d);
}

/**
 * C's printf("%.17g", d). printf rounds the exact binary value half to even,
 * while toExponential rounds an exact tie away from zero; they differ only
 * when the exact expansion stops at an 18th digit 5 (e.g. 1432228088.37890625),
 * so that rare case is checked against the exact digits.
 */
export function formatG17(d: number): string {
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  let t = d.toExponential(16);
  const t18 = d.toExponential(17);
  if (t18.charCodeAt(t18.indexOf('e') - 1) === 0x35 /* 5 */) {
    // Up to 101 significant digits is exact for any tie: a double that is not
    // exactly an 18-digit decimal differs from it well before that digit.
    const exact = d.toExponential(100);
    const eAt = exact.indexOf('e');
    const sign = d < 0 ? 1 : 0;
    // Mantissa text is "[-]D.DDDD...": the 18th digit sits at sign + 18.
    let tie = exact.charCodeAt(sign + 18) === 0x35;
    for (let i = sign + 19; tie && i < eAt; i++) if (exact.charCodeAt(i) !== 0x30) tie = false;
    if (tie && (exact.charCodeAt(sign + 17) & 1) === 0) t = exact.slice(0, sign + 18) + exact.slice(eAt);
  }
  const eAt = t.indexOf('e');
  const e = Number(t.slice(eAt + 1));
  const neg = t.charCodeAt(0) === 0x2d;
  // The 17 significant digits without sign and point.
  const digits = t.slice(neg ? 1 : 0, neg ? 2 : 1) + t.slice(neg ? 3 : 2, eAt);
  if (e < -4 || e >= 17) {
    const mant = stripZeros(digits[0] + '.' + digits.slice(1));
    const abs = e < 0 ? -e : e;
    return `${neg ? '-' : ''}${mant}e${e < 0 ? '-' : '+'}${abs < 10 ? '0' + abs : abs}`;
  }
  let text: string;
  if (e >= 0) text = digits.slice(0, e + 1) + '.' + digits.slice(e + 1);
  else text = '0.' + '0'.repeat(-e - 1) + digits;
  return (neg ? '-' : '') + stripZeros(text);
}

function stripZeros(s: string): string {
  if (s.indexOf('.') < 0) return s;
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 0x30) end--;
  if (s.charCodeAt(end - 1) === 0x2e) end--;
  return s.slice(0, end);
}
