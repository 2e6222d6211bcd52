// Password checks for AUTH and HELLO ... AUTH. Until ACLs exist there is one
// user, "default", whose password is requirepass (none: any password works).

import { timingSafeEqual } from 'node:crypto';
import type { Session } from '../session.js';

/** Whether user/password authenticate; compares in constant time like Redis's time_independent_strcmp. */
export function checkCredentials(s: Session, user: string, password: string): boolean {
  if (user !== 'default') return false;
  const required = s.node.config.requirepass();
  if (required === '') return true;
  const a = Buffer.from(password, 'latin1');
  const b = Buffer.from(required, 'latin1');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Marks the session logged in as user. */
export function logIn(s: Session, user: string): void {
  s.authenticated = true;
  s.user = user;
}
