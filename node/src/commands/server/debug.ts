// DEBUG: the few subcommands test suites rely on. Like Redis 7.0 it is off
// unless enable-debug-command is "yes" (or "local" for loopback clients),
// because DEBUG SLEEP stops the whole node.

import { NO_KEYS, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { replyHelp, subcommandSyntaxError } from './help.js';

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.';

function allowed(s: Session): boolean {
  const mode = s.node.config.get('enable-debug-command') ?? 'no';
  if (mode === 'yes') return true;
  if (mode !== 'local') return false;
  const host = s.transport.remoteAddress.slice(0, s.transport.remoteAddress.lastIndexOf(':'));
  return host === '127.0.0.1' || host === '::1' || host === '::ffff:127.0.0.1';
}

/** C's atof: the longest numeric prefix, 0 when there is none. */
function atof(text: string): number {
  const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/i.exec(text);
  return m ? Number(m[0]) : 0;
}

/** Blocks the event loop, as DEBUG SLEEP blocks redis-server's main thread. */
function sleepSync(ms: number): void {
  if (ms <= 0) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export const debug = {
  name: 'debug',
  arity: -2,
  flags: ['admin', 'noscript', 'loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'A container for debugging commands',
  since: '1.0.0',
  complexity: 'Depends on subcommand.',
  run(s, args) {
    if (!allowed(s)) {
      s.error(NOT_ALLOWED);
      return;
    }
    const sub = args[1]!.toLowerCase();
    if (sub === 'help' && args.length === 2) {
      replyHelp(s, 'DEBUG', [
        'LOG <message>',
        '    Write <message> to the server log.',
        'SET-ACTIVE-EXPIRE <0|1>',
        '    Setting it to 0 disables expiring keys in background when they are not',
        '    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the',
        '    default.',
        'SLEEP <seconds>',
        '    Stop the server for <seconds>. Decimals allowed.',
      ]);
    } else if (sub === 'sleep' && args.length === 3) {
      sleepSync(atof(args[2]!) * 1000);
      s.out.ok();
    } else if (sub === 'set-active-expire' && args.length === 3) {
      // Redis reads the flag with atoi: any non-zero number enables.
      s.node.activeExpireEnabled = Math.trunc(atof(args[2]!)) !== 0;
      s.out.ok();
    } else if (sub === 'log' && args.length === 3) {
      s.node.logger.warn(`DEBUG LOG: ${args[2]!}`);
      s.out.ok();
    } else s.error(subcommandSyntaxError(args[1]!, 'debug'));
  },
} as const satisfies CommandSpec;
