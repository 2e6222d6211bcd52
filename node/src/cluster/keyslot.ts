// Hash slot of a key, as Redis Cluster computes it: CRC16/XMODEM of the key
// (or of its {hash tag}) modulo 16384. Keys are latin1 strings (one char per
// byte, see docs/internals.md), so the CRC reads char codes directly; the
// cluster-key-slot package would UTF-8-encode them and disagree with Redis on
// any byte above 0x7f.

import { SLOT_COUNT } from './types.js';

/** CRC16/XMODEM (poly 0x1021, init 0), one table entry per byte value. */
const CRC16_TABLE = ((): Uint16Array => {
  const t = new Uint16Array(256);
  for (let b = 0; b < 256; b++) {
    let crc = b << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    t[b] = crc;
  }
  return t;
})();

/** CRC16/XMODEM of the chars [start, end) of a latin1 string. */
export function crc16(s: string, start = 0, end = s.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >>> 8) ^ s.charCodeAt(i)) & 0xff]!;
  return crc;
}

/**
 * Redis's keyHashSlot: if the key has a '{' followed later by a '}' with at
 * least one char between them, only that part is hashed; `{}` or an
 * unclosed brace hashes the whole key.
 */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  if (open >= 0) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(key) & (SLOT_COUNT - 1);
}
