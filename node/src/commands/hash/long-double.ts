// Redis does HINCRBYFLOAT (and INCRBYFLOAT) in C `long double`, which on
// x86-64 is the x87 80-bit format: a 64-bit significand and exponents up to
// 2^16383. Its replies show it ("1001.69999999999999996", 2^63-1 kept exact,
// 1e400 accepted), so a JS double cannot reproduce them. This module emulates
// the three steps Redis takes, exactly, with BigInt:
//   strtold (string2ld's acceptance rules) -> one rounded addition ->
//   printf("%.17Lf") with trailing zeros trimmed (ld2string LD_STR_HUMAN).
// Rounding is to nearest, ties to even, as the FPU and glibc do. Only the
// increment commands use it, so BigInt's cost stays off the hot path.

/** value = (neg ? -1 : 1) * m * 2^e, with m < 2^64; or an infinity. */
export interface LongDouble {
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
  readonly inf: boolean;
}

const MANT_BITS = 64;
/** Smallest exponent of the quantum (denormals): 2^-16445. */
const MIN_E = -16445;
/** Largest e with m normalised to 64 bits: m * 2^e < 2^16384. */
const MAX_E = 16384 - MANT_BITS;
/** Redis's MAX_LONG_DOUBLE_CHARS: string2ld refuses inputs this long. */
const MAX_LONG_DOUBLE_CHARS = 5 * 1024;

function bitLength(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function infinity(neg: boolean): LongDouble {
  return { neg, m: 0n, e: 0, inf: true };
}

/** Rounds the exact value num/den (num >= 0, den > 0) to the nearest long double. */
function fromRational(neg: boolean, num: bigint, den: bigint): LongDouble {
  if (num === 0n) return { neg, m: 0n, e: 0, inf: false };
  // Pick e so that num / (den * 2^e) lies in [2^63, 2^65), then fix up once.
  let e = bitLength(num) - bitLength(den) - MANT_BITS;
  for (let pass = 0; ; pass++) {
    if (e < MIN_E) e = MIN_E;
    const n = e >= 0 ? num : num << BigInt(-e);
    const d = e >= 0 ? den << BigInt(e) : den;
    let q = n / d;
    const r = n - q * d;
    if (pass === 0 && bitLength(q) > MANT_BITS) {
      e++;
      continue;
    }
    const twice = r * 2n;
    if (twice > d || (twice === d && (q & 1n) === 1n)) q++;
    if (bitLength(q) > MANT_BITS) {
      q >>= 1n; // q was exactly 2^64: no bit is lost
      e++;
    }
    if (e > MAX_E) return infinity(neg);
    return { neg, m: q, e, inf: false };
  }
}

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

const DECIMAL = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;

/**
 * Redis's string2ld: strtold over the whole string, refusing leading space,
 * trailing garbage, NaN, and results that overflow or underflow to zero.
 * Infinity is accepted (callers decide). null when refused.
 */
export function parseLongDouble(input: string): LongDouble | null {
  if (input.length === 0 || input.length >= MAX_LONG_DOUBLE_CHARS) return null;
  // strtold stops at a NUL, leaving the rest unparsed: refused.
  const s = input;
  if (s.indexOf('\0') >= 0) return null;
  if (isSpace(s.charCodeAt(0))) return null;
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  const body = s.slice(i);
  const lower = body.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return infinity(neg);
  const hex = HEX.exec(body);
  if (hex) {
    const intDigits = hex[1]!;
    const fracDigits = hex[2] ?? '';
    if (intDigits.length + fracDigits.length === 0) return null;
    const mant = BigInt('0x' + (intDigits + fracDigits || '0'));
    if (mant === 0n) return { neg, m: 0n, e: 0, inf: false };
    const exp2 = Number(hex[3] ?? '0') - 4 * fracDigits.length;
    const magnitude = bitLength(mant) + exp2;
    if (magnitude > 16400) return null;
    if (magnitude < MIN_E - 2) return null;
    const r = exp2 >= 0 ? fromRational(neg, mant << BigInt(exp2), 1n) : fromRational(neg, mant, 1n << BigInt(-exp2));
    return r.inf || r.m === 0n ? null : r;
  }
  const dec = DECIMAL.exec(body);
  if (!dec) return null;
  const intDigits = dec[1]!;
  const fracDigits = dec[2] ?? '';
  if (intDigits.length + fracDigits.length === 0) return null;
  const digits = (intDigits + fracDigits).replace(/^0+/, '');
  if (digits.length === 0) return { neg, m: 0n, e: 0, inf: false };
  const exp10 = Number(dec[3] ?? '0') - fracDigits.length;
  // Decide gross overflow/underflow before building huge powers of ten.
  const magnitude = digits.length + exp10;
  if (magnitude > 4940) return null;
  if (magnitude < -4960) return null;
  const mant = BigInt(digits);
  const r = exp10 >= 0 ? fromRational(neg, mant * 10n ** BigInt(exp10), 1n) : fromRational(neg, mant, 10n ** BigInt(-exp10));
  return r.inf || r.m === 0n ? null : r;
}

/** a + b rounded once, as the FPU does. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble {
  if (a.inf || b.inf) {
    // inf + -inf is NaN; callers refuse both NaN and infinity alike.
    return infinity(a.inf ? a.neg : b.neg);
  }
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = Math.min(a.e, b.e);
  const am = a.m << BigInt(a.e - e);
  const bm = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -am : am) + (b.neg ? -bm : bm);
  const neg = sum < 0n;
  const abs = neg ? -sum : sum;
  return e >= 0 ? fromRational(neg, abs << BigInt(e), 1n) : fromRational(neg, abs, 1n << BigInt(-e));
}

/** A long double holding an int64 exactly (listpack integers are converted this way). */
export function longDoubleFromBigInt(v: bigint): LongDouble {
  const neg = v < 0n;
  return fromRational(neg, neg ? -v : v, 1n);
}

/** printf("%.17Lf") with trailing zeros (and a bare '.') removed; "-0" becomes "0". */
export function formatLongDoubleHuman(v: LongDouble): string {
  if (v.inf) return v.neg ? '-inf' : 'inf';
  const scale = 10n ** 17n;
  let x: bigint;
  if (v.e >= 0) x = (v.m << BigInt(v.e)) * scale;
  else {
    const n = v.m * scale;
    const d = 1n << BigInt(-v.e);
    x = n / d;
    const twice = (n - x * d) * 2n;
    if (twice > d || (twice === d && (x & 1n) === 1n)) x++;
  }
  const digits = x.toString().padStart(18, '0');
  const intPart = digits.slice(0, -17);
  const frac = digits.slice(-17).replace(/0+$/, '');
  const text = frac.length > 0 ? `${intPart}.${frac}` : intPart;
  if (text === '0') return '0';
  return v.neg ? '-' + text : text;
}
