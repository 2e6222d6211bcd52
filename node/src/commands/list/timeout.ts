// Blocking timeouts (BLPOP, BLMOVE, BZPOPMIN, ...) read as Redis 7.0's
// getTimeoutFromObjectOrReply does: float seconds parsed with strtold into an
// x87 80-bit long double, multiplied by 1000 in long double, rounded up with
// ceill and cast to long long. The long double rounding decides the odd
// millisecond ("0.253" is 254 ms, "-0.001" is 0, which means forever), so it
// is reproduced exactly here with BigInt arithmetic on a 64-bit mantissa.
// Sorted-set blocking commands can use parseBlockingTimeout too.

import { Err, ReplyError } from '../../core/errors.js';
import { parseDouble } from '../args.js';

const MANTISSA_BITS = 64n;
const TWO_63 = 1n << 63n;
const TWO_64 = 1n << 64n;

function bitLength(n: bigint): bigint {
  return BigInt(n.toString(2).length);
}

/** Rounds n / 2^shift to the nearest integer, ties to even (shift >= 0). */
function shiftRoundEven(n: bigint, shift: bigint): bigint {
  if (shift <= 0n) return n << -shift;
  const q = n >> shift;
  const rem = n - (q << shift);
  const half = 1n << (shift - 1n);
  if (rem > half || (rem === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** The decimal text as an exact fraction num / den (den > 0), or null if it is not plain decimal. */
function exactDecimal(text: string): [bigint, bigint] | null {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const digits = ((m[2] ?? '') + (m[3] ?? '')).replace(/^0+/, '');
  if (digits === '') return [0n, 1n];
  const exp = Number(m[4] ?? '0') - (m[3] ?? '').length;
  // Outside the long double range strtold sets ERANGE, and Redis refuses the
  // number; answer that before building a huge power of ten.
  const magnitude = digits.length + exp;
  if (magnitude > 4933) return OVERFLOW;
  if (magnitude < -4952) return OVERFLOW;
  let num = BigInt(digits);
  let den = 1n;
  if (exp > 0) num *= 10n ** BigInt(exp);
  else if (exp < 0) den = 10n ** BigInt(-exp);
  if (m[1] === '-') num = -num;
  return [num, den];
}

/** Marker for a value strtold cannot hold (overflow or underflow to zero). */
const OVERFLOW: [bigint, bigint] = [0n, 0n];

/** The long double nearest to a / den (a, den > 0) as mantissa m (64 bits) and exponent e. */
function nearestLongDouble(a: bigint, den: bigint): [bigint, bigint] {
  // a / (den * 2^e) then lies in [2^63, 2^65).
  let e = bitLength(a) - bitLength(den) - MANTISSA_BITS;
  let n = a;
  let d = den;
  if (e >= 0n) d = den << e;
  else n = a << -e;
  if (n / d >= TWO_64) {
    d *= 2n;
    e += 1n;
  }
  let m = n / d;
  const rem2 = (n - m * d) * 2n;
  if (rem2 > d || (rem2 === d && (m & 1n) === 1n)) m += 1n;
  if (m === TWO_64) {
    m >>= 1n;
    e += 1n;
  }
  return [m, e];
}

/**
 * ceill(x * 1000.0L) cast to long long for x = num / den; null when the cast
 * overflows (x86 then yields LLONG_MIN, which Redis reports as negative).
 */
function longDoubleCeilMs(num: bigint, den: bigint): bigint | null {
  if (num === 0n) return 0n;
  const neg = num < 0n;
  const [m, e] = nearestLongDouble(neg ? -num : num, den);
  // The product with 1000, rounded back to a 64-bit mantissa.
  const p = m * 1000n;
  const excess = bitLength(p) - MANTISSA_BITS;
  const pm = shiftRoundEven(p, excess);
  const pe = e + excess;
  let q: bigint;
  if (pe >= 0n) q = pm << pe;
  else {
    const whole = pm >> -pe;
    // ceil: a positive fraction rounds up, a negative one toward zero.
    q = !neg && pm !== whole << -pe ? whole + 1n : whole;
  }
  const signed = neg ? -q : q;
  if (signed >= TWO_63 || signed < -TWO_63) return null;
  return signed;
}

/**
 * Parses a blocking timeout in float seconds; returns the absolute deadline
 * in ms (`nowMs` + timeout), or Infinity when the timeout is 0 (forever).
 */
export function parseBlockingTimeout(arg: string, nowMs: number): number {
  const secs = arg.length > 5 * 1024 ? null : parseDouble(arg);
  if (secs === null) throw new ReplyError(Err.timeoutNotFloat);
  const exact = exactDecimal(arg);
  let ms: bigint | null;
  if (exact === OVERFLOW) throw new ReplyError(Err.timeoutNotFloat);
  if (exact) ms = longDoubleCeilMs(exact[0], exact[1]);
  else if (!Number.isFinite(secs)) ms = null; // "inf": the cast overflows
  else {
    // Hexadecimal floats: exact in a double already.
    const v = Math.ceil(secs * 1000);
    ms = Math.abs(v) < 9.2e18 ? BigInt(v) : null;
  }
  if (ms === null || ms < 0n) throw new ReplyError(Err.timeoutNegative);
  return ms === 0n ? Infinity : nowMs + Number(ms);
}
