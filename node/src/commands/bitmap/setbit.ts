import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { writableString } from '../../keyspace/types/strings.js';
import { parseBitOffset } from './bits.js';

export const setbit = {
  name: 'setbit',
  arity: 4,
  flags: ['write', 'denyoom'],
  group: 'bitmap',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Sets or clears the bit at offset in the string value stored at key',
  since: '2.2.0',
  complexity: 'O(1)',
  run(s, args) {
    const key = args[1]!;
    const offset = parseBitOffset(s, args[2]!);
    const on = args[3]!;
    if (on !== '0' && on !== '1') throw new ReplyError('ERR bit is not an integer or out of range');
    const bitOn = on === '1' ? 1 : 0;
    const db = s.db;
    const cur = db.read(key, s.nowMs);
    const byte = Math.floor(offset / 8);
    const shift = 7 - (offset & 7);
    let old = 0;
    if (cur === undefined) {
      const b = writableString('', byte + 1, 0, true);
      b[byte] = bitOn << shift;
      db.set(key, b);
    } else {
      if (typeof cur !== 'string' && !Buffer.isBuffer(cur)) {
        s.error(Err.wrongType);
        return;
      }
      const oldLength = cur.length;
      if (byte < oldLength) old = ((typeof cur === 'string' ? cur.charCodeAt(byte) : cur[byte]!) >> shift) & 1;
      const grows = byte >= oldLength;
      if (!grows && old === bitOn) {
        // Unchanged bit and length: no event, no WATCH invalidation, no dirty
        // count. Redis still unshares the value, so OBJECT ENCODING turns
        // "raw": swap in an equal Buffer without signalling a write.
        if (typeof cur === 'string') db.replaceQuietly(key, writableString(cur, oldLength, oldLength, false));
        s.out.int(old);
        return;
      }
      const b = writableString(cur, byte + 1, grows ? oldLength : byte, true);
      b[byte] = (b[byte]! & ~(1 << shift)) | (bitOn << shift);
      db.replace(key, b);
    }
    s.notify('$', 'setbit', key);
    s.out.int(old);
  },
} as const satisfies CommandSpec;
