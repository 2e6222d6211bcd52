// Shared pieces of the string and bitmap commands: Redis's lookupKeyRead
// (hit/miss statistics), replying with a value that may be a mutable Buffer,
// the proto-max-bulk-len limit, and the SET/GETEX option grammar with its
// expire-time rules (getExpireMillisecondsOrReply in t_string.c).

import type { Session } from '../session.js';
import type { Config } from '../../config/config.js';
import { Err, ReplyError } from '../../core/errors.js';
import { parseInt64 } from '../args.js';
import { markExposed } from '../../keyspace/types/strings.js';

/** Looks key up for reading, counting a keyspace hit or miss as lookupKeyRead does. */
export { lookupRead as readKey } from '../lookup.js';

/** Bulk reply of a string value; a Buffer is marked exposed since the writer may keep it. */
export function replyValue(s: Session, v: string | Buffer): void {
  if (typeof v !== 'string') markExposed(v);
  s.out.bulk(v);
}

/** Integer reply that stays exact beyond 2^53. */
export function replyBigInt(s: Session, n: bigint): void {
  s.out.raw(`:${n}\r\n`);
}

const maxBulkCache = new WeakMap<Config, { bytes: number }>();

/** Parses a memory directive as redis.conf writes it ("512mb", "1gb", "1048576"). */
function memoryBytes(text: string | undefined): number {
  if (text === undefined) return 512 * 1024 * 1024;
  const m = /^(\d+)([kmg]b?|b)?$/i.exec(text.trim());
  if (!m) return 512 * 1024 * 1024;
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toLowerCase();
  const mult =
    unit === 'k' ? 1000 : unit === 'kb' ? 1024 : unit === 'm' ? 1e6 : unit === 'mb' ? 1 << 20 : unit === 'g' ? 1e9 : unit === 'gb' ? 1 << 30 : 1;
  return n * mult;
}

/** proto-max-bulk-len in bytes, cached per Config and refreshed when it changes. */
export function protoMaxBulkLen(s: Session): number {
  const config = s.node.config;
  let entry = maxBulkCache.get(config);
  if (!entry) {
    const e = { bytes: memoryBytes(config.get('proto-max-bulk-len')) };
    config.onChange((name, value) => {
      if (name === 'proto-max-bulk-len') e.bytes = memoryBytes(value);
    });
    maxBulkCache.set(config, e);
    entry = e;
  }
  return entry.bytes;
}

/** checkStringLength: a value may not grow past proto-max-bulk-len. */
export function checkStringLength(s: Session, size: number, append: number): void {
  if (size + append > protoMaxBulkLen(s)) {
    throw new ReplyError('ERR string exceeds maximum allowed size (proto-max-bulk-len)');
  }
}

/** Option flags of SET and GETEX (parseExtendedStringArgumentsOrReply). */
export const SetFlag = {
  NX: 1,
  XX: 2,
  GET: 4,
  KEEPTTL: 8,
  PERSIST: 16,
  EX: 32,
  PX: 64,
  EXAT: 128,
  PXAT: 256,
} as const;

const ANY_EXPIRE = SetFlag.EX | SetFlag.PX | SetFlag.EXAT | SetFlag.PXAT;

export interface ExtendedArgs {
  flags: number;
  /** The expire argument text, or undefined. */
  expire: string | undefined;
}

/**
 * Parses SET's (forSet) or GETEX's options from args[from]. Redis lets an
 * option repeat (EX 1 EX 2: the last wins) but refuses conflicting ones with a
 * syntax error; EX/PX/EXAT/PXAT without a value is a syntax error too.
 */
export function parseExtendedArgs(args: string[], from: number, forSet: boolean): ExtendedArgs {
  let flags = 0;
  let expire: string | undefined;
  for (let j = from; j < args.length; j++) {
    const opt = args[j]!.toLowerCase();
    const hasNext = j < args.length - 1;
    if (opt === 'nx' && forSet && !(flags & SetFlag.XX)) flags |= SetFlag.NX;
    else if (opt === 'xx' && forSet && !(flags & SetFlag.NX)) flags |= SetFlag.XX;
    else if (opt === 'get' && forSet) flags |= SetFlag.GET;
    else if (opt === 'keepttl' && forSet && !(flags & (SetFlag.PERSIST | ANY_EXPIRE))) flags |= SetFlag.KEEPTTL;
    else if (opt === 'persist' && !forSet && !(flags & (SetFlag.KEEPTTL | ANY_EXPIRE))) flags |= SetFlag.PERSIST;
    else if (
      hasNext &&
      (opt === 'ex' || opt === 'px' || opt === 'exat' || opt === 'pxat') &&
      !(flags & (SetFlag.KEEPTTL | SetFlag.PERSIST))
    ) {
      const flag = opt === 'ex' ? SetFlag.EX : opt === 'px' ? SetFlag.PX : opt === 'exat' ? SetFlag.EXAT : SetFlag.PXAT;
      // A different expire kind already given conflicts; the same one repeats.
      if (flags & ANY_EXPIRE & ~flag) throw new ReplyError(Err.syntax);
      flags |= flag;
      expire = args[++j]!;
    } else throw new ReplyError(Err.syntax);
  }
  return { flags, expire };
}

const INT64_MAX = 9223372036854775807n;
const SECONDS_LIMIT = INT64_MAX / 1000n;

/**
 * The absolute expiry time in ms for an EX/PX/EXAT/PXAT argument, or a
 * ReplyError: not an integer, not positive, or overflowing int64 once scaled
 * and (for EX/PX) added to now ("invalid expire time in '<cmd>' command").
 */
export function expireAtMs(s: Session, text: string, flags: number, command: string): number {
  const seconds = (flags & (SetFlag.EX | SetFlag.EXAT)) !== 0;
  const relative = (flags & (SetFlag.EX | SetFlag.PX)) !== 0;
  const invalid = `ERR invalid expire time in '${command}' command`;
  if (text.length < 16) {
    // Below 10^15 nothing can overflow: a number stays exact.
    const v = parseShortInt(text);
    if (v === null) throw new ReplyError(Err.notInteger);
    if (v <= 0) throw new ReplyError(invalid);
    const ms = seconds ? v * 1000 : v;
    return relative ? ms + s.nowMs : ms;
  }
  const big = parseInt64(text);
  if (big === null) throw new ReplyError(Err.notInteger);
  if (big <= 0n || (seconds && big > SECONDS_LIMIT)) throw new ReplyError(invalid);
  let ms = seconds ? big * 1000n : big;
  if (relative) {
    ms += BigInt(s.nowMs);
    if (ms > INT64_MAX) throw new ReplyError(invalid);
  }
  return Number(ms);
}

/** string2ll for texts under 16 characters, as a number; null if refused. */
export function parseShortInt(text: string): number | null {
  const n = text.length;
  if (n === 0) return null;
  let i = 0;
  if (text.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  if (text.charCodeAt(i) === 48) return n === 1 ? 0 : null;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return null;
  }
  return Number(text);
}

