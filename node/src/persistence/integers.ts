// Integer strings as Redis's compact encodings see them: a string becomes an
// integer entry (listpack, intset, RDB int encoding) only if string2ll
// accepts it, i.e. it is the canonical decimal of a 64-bit integer ("12",
// never "012", "+1" or "-0"), so reading it back yields the same bytes.

import { isCanonicalInt64 } from '../keyspace/types/set.js';

export { isCanonicalInt64 };

/** A canonical integer string as a number when exact, else as a bigint. */
export function parseCanonical(s: string): number | bigint {
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : BigInt(s);
}

export const INT64_MIN = -9223372036854775808n;
export const INT64_MAX = 9223372036854775807n;
