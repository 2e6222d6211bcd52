// Short latin1 strings to and from bytes without a call into C++. Decoding a
// 1M-field hash reads 2M strings of a few bytes and encoding one writes as
// many; Buffer#latin1Slice and #latin1Write cross into the runtime for each
// (about 100 ns), while String.fromCharCode with the bytes as arguments and a
// charCodeAt loop stay in JIT-compiled code: 3-4x faster for short strings
// here, the same strings (one char per byte, codes 0-255).

const fromCodes = String.fromCharCode;

/** buf[start, end) as a latin1 string. */
export function readLatin1(buf: Buffer, start: number, end: number): string {
  const b = buf;
  const a = start;
  switch (end - a) {
    case 0:
      return '';
    case 1:
      return fromCodes(b[a]!);
    case 2:
      return fromCodes(b[a]!, b[a + 1]!);
    case 3:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!);
    case 4:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!);
    case 5:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!);
    case 6:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!);
    case 7:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!);
    case 8:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!);
    case 9:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!);
    case 10:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!);
    case 11:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!);
    case 12:
      return fromCodes(b[a]!, b[a + 1]!, b[a + 2]!, b[a + 3]!, b[a + 4]!, b[a + 5]!, b[a + 6]!, b[a + 7]!, b[a + 8]!, b[a + 9]!, b[a + 10]!, b[a + 11]!);
    default:
      return b.latin1Slice(a, end);
  }
}

/** Strings up to this long are written by a charCodeAt loop. */
export const SHORT_WRITE_CHARS = 16;

/** Writes s (latin1, one byte per char) at `at`; returns the bytes written. */
export function writeLatin1(buf: Buffer, s: string, at: number): number {
  const n = s.length;
  if (n > SHORT_WRITE_CHARS) return buf.latin1Write(s, at);
  for (let k = 0; k < n; k++) buf[at + k] = s.charCodeAt(k);
  return n;
}
