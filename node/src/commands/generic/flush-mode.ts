import { Err, ReplyError } from '../../core/errors.js';
import { is } from '../args.js';

/**
 * FLUSHDB/FLUSHALL [ASYNC|SYNC]: validated as Redis does; both modes free
 * synchronously here (the GC reclaims the values, so ASYNC has nothing to
 * hand to a background thread).
 */
export function checkFlushMode(args: string[]): void {
  if (args.length > 2) throw new ReplyError(Err.syntax);
  if (args.length === 2 && !is(args[1], 'async') && !is(args[1], 'sync')) throw new ReplyError(Err.syntax);
}
