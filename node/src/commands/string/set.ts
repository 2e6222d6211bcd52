import type { CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';
import { SetFlag, expireAtMs, parseExtendedArgs, readKey, replyValue } from './common.js';

/**
 * setGenericCommand: stores value at key honouring NX/XX, an absolute expiry
 * time (`atMs`, or undefined) and KEEPTTL. With GET the old value is the
 * reply (and WRONGTYPE aborts before anything is written). `done` is the reply
 * on success and `aborted` when NX/XX refused; null means the default
 * (+OK / nil), and with GET nothing more is written.
 */
export function setGeneric(
  s: Session,
  key: string,
  value: string,
  flags: number,
  atMs: number | undefined,
  done: number | null,
  aborted: number | null,
): void {
  const db = s.db;
  let found: boolean | undefined;
  if (flags & SetFlag.GET) {
    const old = readKey(s, key);
    found = old !== undefined;
    if (old === undefined) s.out.nil();
    else if (typeof old === 'string' || Buffer.isBuffer(old)) replyValue(s, old);
    else {
      s.error(Err.wrongType);
      return;
    }
  }
  if (flags & (SetFlag.NX | SetFlag.XX)) {
    if (found === undefined) found = db.read(key, s.nowMs) !== undefined;
    if (((flags & SetFlag.NX) && found) || ((flags & SetFlag.XX) && !found)) {
      if (!(flags & SetFlag.GET)) {
        if (aborted === null) s.out.nil();
        else s.out.int(aborted);
      }
      return;
    }
  }
  db.set(key, value, (flags & SetFlag.KEEPTTL) !== 0);
  s.notify('$', 'set', key);
  if (atMs !== undefined) {
    // A time already past is stored as is: the key then expires lazily
    // ("expired" event), exactly as SET ... EXAT <past> behaves in Redis 7.0.
    db.setExpire(key, atMs);
    s.notify('g', 'expire', key);
    // Relative times become absolute for replicas (NX/XX/GET already took effect here).
    s.propagate(['set', key, value, 'pxat', String(atMs)]);
  }
  if (!(flags & SetFlag.GET)) {
    if (done === null) s.out.ok();
    else s.out.int(done);
  }
}

export const set = {
  name: 'set',
  arity: -3,
  flags: ['write', 'denyoom'],
  group: 'string',
  keys: { first: 1, last: 1, step: 1 },
  summary: 'Set the string value of a key',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    if (args.length === 3) {
      s.db.set(args[1]!, args[2]!);
      s.notify('$', 'set', args[1]!);
      s.out.ok();
      return;
    }
    const { flags, expire } = parseExtendedArgs(args, 3, true);
    const atMs = expire === undefined ? undefined : expireAtMs(s, expire, flags, 'set');
    setGeneric(s, args[1]!, args[2]!, flags, atMs, null, null);
  },
} as const satisfies CommandSpec;
