import type { Session } from '../session.js';
import { lookupReadNoTouch } from './common.js';

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME (Redis's ttlGenericCommand): -2 no key, -1 no TTL. */
export function ttlGeneric(s: Session, key: string, ms: boolean, absolute: boolean): void {
  if (lookupReadNoTouch(s, key) === undefined) {
    s.out.int(-2);
    return;
  }
  const at = s.db.getExpire(key);
  if (at === undefined) {
    s.out.int(-1);
    return;
  }
  let ttl = absolute ? at : at - s.nowMs;
  if (ttl < 0) ttl = 0;
  // Seconds round to nearest, as Redis's (ttl+500)/1000 does.
  s.out.int(ms ? ttl : Math.floor((ttl + 500) / 1000));
}
