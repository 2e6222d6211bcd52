// Database index arguments (COPY DB, MOVE, SWAPDB) are C ints in Redis
// (getIntFromObjectOrReply): anything outside 32 bits is "not an integer".

import { parseInteger } from '../args.js';

/** The argument as a 32-bit int, or null. */
export function parseDbIndex(arg: string): number | null {
  const n = parseInteger(arg);
  if (n === null || n < -2147483648 || n > 2147483647) return null;
  return n;
}
