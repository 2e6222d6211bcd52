// Argument parsing with Redis's exact acceptance rules, so that "01", " 1",
// "1.0" or "+1" are refused or accepted exactly where redis-server does.

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

/** Redis's string2ll acceptance: optional '-', digits, no leading zeros, no '+', no spaces. */
function isInt64Text(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1; // "0" only; "-0" and "01" are refused
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Parses a signed 64-bit integer exactly; null if not valid or out of range. */
export function parseInt64(s: string): bigint | null {
  if (!isInt64Text(s)) return null;
  const v = BigInt(s);
  if (v > INT64_MAX || v < INT64_MIN) return null;
  return v;
}

/**
 * Parses a signed 64-bit integer as a JS number (exact up to 2^53, rounded
 * beyond); null if Redis would refuse it. Fast path for short inputs.
 */
export function parseInteger(s: string): number | null {
  const n = s.length;
  if (n > 0 && n < 16) {
    if (!isInt64Text(s)) return null;
    return Number(s);
  }
  const v = parseInt64(s);
  return v === null ? null : Number(v);
}

export function isInt64(v: bigint): boolean {
  return v <= INT64_MAX && v >= INT64_MIN;
}

export const INT64 = { max: INT64_MAX, min: INT64_MIN } as const;

/**
 * Parses a double as Redis's getDoubleFromObject/strtold does: no leading
 * space, no trailing garbage, "inf"/"+inf"/"-inf"/"infinity" accepted, NaN refused.
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13 || c0 === 11 || c0 === 12) return null;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(s)) {
    // strtod also takes hexadecimal floats.
    if (/^[+-]?0x[0-9a-f]+(\.[0-9a-f]*)?(p[+-]?\d+)?$/i.test(s)) return parseHexFloat(s);
    return null;
  }
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}

function parseHexFloat(s: string): number | null {
  const m = /^([+-]?)0x([0-9a-f]+)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i.exec(s);
  if (!m) return null;
  let v = parseInt(m[2]!, 16);
  const frac = m[3] ?? '';
  for (let i = 0; i < frac.length; i++) v += parseInt(frac[i]!, 16) / Math.pow(16, i + 1);
  v *= Math.pow(2, Number(m[4] ?? 0));
  return m[1] === '-' ? -v : v;
}

/** Case-insensitive keyword comparison against a lowercase keyword. */
export function is(arg: string | undefined, lowerKeyword: string): boolean {
  return arg !== undefined && arg.length === lowerKeyword.length && arg.toLowerCase() === lowerKeyword;
}
