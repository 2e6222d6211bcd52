import type { CommandSpec } from '../spec.js';
import { Err, ReplyError } from '../../core/errors.js';
import { is } from '../args.js';
import { writableString } from '../../keyspace/types/strings.js';
import { readKey } from '../string/common.js';

const AND = 0;
const OR = 1;
const XOR = 2;
const NOT = 3;

export const bitop = {
  name: 'bitop',
  arity: -4,
  flags: ['write', 'denyoom'],
  group: 'bitmap',
  keys: { first: 2, last: -1, step: 1 },
  summary: 'Perform bitwise operations between strings',
  since: '2.6.0',
  complexity: 'O(N)',
  run(s, args) {
    const opName = args[1]!;
    const op = is(opName, 'and') ? AND : is(opName, 'or') ? OR : is(opName, 'xor') ? XOR : is(opName, 'not') ? NOT : -1;
    if (op < 0) throw new ReplyError(Err.syntax);
    if (op === NOT && args.length !== 4) throw new ReplyError('ERR BITOP NOT must be called with a single source key.');
    const target = args[2]!;
    const n = args.length - 3;
    const sources: Buffer[] = [];
    let maxLength = 0;
    for (let j = 0; j < n; j++) {
      const v = readKey(s, args[j + 3]!);
      // A missing key is an empty string (all zeros for as long as needed).
      if (v === undefined) {
        sources.push(EMPTY);
        continue;
      }
      if (typeof v !== 'string' && !Buffer.isBuffer(v)) {
        s.error(Err.wrongType);
        return;
      }
      sources.push(typeof v === 'string' ? Buffer.from(v, 'latin1') : v);
      if (v.length > maxLength) maxLength = v.length;
    }
    const db = s.db;
    if (maxLength === 0) {
      if (db.delete(target)) s.notify('g', 'del', target);
      s.out.int(0);
      return;
    }
    const res = writableString('', maxLength, 0, false);
    const first = sources[0]!;
    if (op === NOT) {
      first.copy(res, 0, 0, first.length);
      combine(res, res, maxLength, NOT);
    } else {
      // Seed with the first source (zero-padded), then fold in the others.
      first.copy(res, 0, 0, first.length);
      res.fill(0, first.length, maxLength);
      for (let j = 1; j < n; j++) {
        const src = sources[j]!;
        combine(res, src, src.length, op);
        if (op === AND) res.fill(0, src.length, maxLength);
      }
    }
    db.set(target, res);
    s.notify('$', 'set', target);
    s.out.int(maxLength);
  },
} as const satisfies CommandSpec;

const EMPTY = Buffer.alloc(0);

/** res[0..m) = res op src (NOT: res = ~src), 32 bits at a time when both are aligned. */
function combine(res: Buffer, src: Buffer, m: number, op: number): void {
  let i = 0;
  if (((res.byteOffset | src.byteOffset) & 3) === 0) {
    const words = m >>> 2;
    if (words > 0) {
      const r = new Int32Array(res.buffer, res.byteOffset, words);
      const s = new Int32Array(src.buffer, src.byteOffset, words);
      if (op === AND) for (let k = 0; k < words; k++) r[k]! &= s[k]!;
      else if (op === OR) for (let k = 0; k < words; k++) r[k]! |= s[k]!;
      else if (op === XOR) for (let k = 0; k < words; k++) r[k]! ^= s[k]!;
      else for (let k = 0; k < words; k++) r[k] = ~s[k]!;
      i = words * 4;
    }
  }
  if (op === AND) for (; i < m; i++) res[i]! &= src[i]!;
  else if (op === OR) for (; i < m; i++) res[i]! |= src[i]!;
  else if (op === XOR) for (; i < m; i++) res[i]! ^= src[i]!;
  else for (; i < m; i++) res[i] = ~src[i]! & 0xff;
}
