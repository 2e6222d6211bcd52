// Shared parsing of SCAN/HSCAN/SSCAN/ZSCAN arguments: the cursor and the
// MATCH / COUNT / TYPE options, with Redis's errors.

import { Err, ReplyError } from '../core/errors.js';
import { is, parseInteger } from './args.js';

export interface ScanOptions {
  cursor: number;
  count: number;
  match: string | null;
  /** SCAN only: a type name filter. */
  type: string | null;
}

/**
 * Parses a cursor as Redis 7.0 does (strtoul): optional sign, decimal digits,
 * no leading space, no trailing garbage; "" reads as 0 and "-1" wraps to
 * 2^64-1. Cursors beyond our index range simply restart from the top.
 */
export function parseCursor(s: string): number {
  if (s.length > 0 && /^\s/.test(s)) throw new ReplyError('ERR invalid cursor');
  if (s === '') return 0;
  const m = /^([+-]?)(\d+)$/.exec(s);
  if (!m) throw new ReplyError('ERR invalid cursor');
  const v = BigInt(m[2]!);
  if (v > 18446744073709551615n) throw new ReplyError('ERR invalid cursor');
  if (m[1] === '-' && v !== 0n) return Number(18446744073709551616n - v);
  return Number(v);
}

/** args[cursorIndex] is the cursor; options follow. */
export function parseScanArgs(args: readonly string[], cursorIndex: number, allowType: boolean): ScanOptions {
  const opts: ScanOptions = { cursor: parseCursor(args[cursorIndex]!), count: 10, match: null, type: null };
  for (let i = cursorIndex + 1; i < args.length; i++) {
    const a = args[i]!;
    const rest = args.length - i - 1;
    if (is(a, 'count') && rest >= 1) {
      const n = parseInteger(args[++i]!);
      if (n === null) throw new ReplyError(Err.notInteger);
      if (n < 1) throw new ReplyError(Err.syntax);
      opts.count = n;
    } else if (is(a, 'match') && rest >= 1) {
      const m = args[++i]!;
      // "*" matches everything: skip the matcher, as Redis does.
      opts.match = m === '*' ? null : m;
    } else if (allowType && is(a, 'type') && rest >= 1) {
      opts.type = args[++i]!.toLowerCase();
    } else {
      throw new ReplyError(Err.syntax);
    }
  }
  return opts;
}
