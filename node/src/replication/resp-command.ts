// RESP multibulk encoding of a propagated command. Replication offsets count
// exactly these bytes (as Redis counts its replication stream), so the
// encoding lives in one place and is what both the backlog and the offset
// arithmetic use. Arguments are latin1 strings (one char per byte).

/** Decimal digits of a non-negative integer, without allocating a string. */
function digits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    d++;
  }
  return d;
}

/** Byte length of `*N\r\n` followed by `$len\r\narg\r\n` for each argument. */
export function encodedCommandBytes(args: readonly string[]): number {
  let n = 1 + digits(args.length) + 2;
  for (const a of args) n += 1 + digits(a.length) + 2 + a.length + 2;
  return n;
}

/** Writes the command at `at` in `out` (which must have room); returns the end offset. */
export function writeCommand(out: Buffer, at: number, args: readonly string[]): number {
  // One string, one copy: per-piece writes cost more than the concatenation.
  let text = '*' + args.length + '\r\n';
  for (const a of args) text += '$' + a.length + '\r\n' + a + '\r\n';
  return at + out.latin1Write(text, at);
}

/** The command as a fresh Buffer. */
export function encodeCommand(args: readonly string[]): Buffer {
  const out = Buffer.allocUnsafe(encodedCommandBytes(args));
  writeCommand(out, 0, args);
  return out;
}
