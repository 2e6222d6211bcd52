// Reply errors are values with a code, not strings to branch on. A command
// throws ReplyError (or writes one) and the dispatcher turns it into RESP in
// one place, counting it in errorstats by its code (the first word).

export class ReplyError extends Error {
  override readonly name = 'ReplyError';
  /** The error code Redis puts first: ERR, WRONGTYPE, MOVED, ... */
  readonly code: string;
  constructor(readonly reply: string) {
    super(reply);
    const sp = reply.indexOf(' ');
    this.code = sp < 0 ? reply : reply.slice(0, sp);
  }
}

/** Redis's shared error strings (server.c createSharedObjects), word for word. */
export const Err = {
  wrongType: 'WRONGTYPE Operation against a key holding the wrong kind of value',
  notInteger: 'ERR value is not an integer or out of range',
  notFloat: 'ERR value is not a valid float',
  syntax: 'ERR syntax error',
  noSuchKey: 'ERR no such key',
  outOfRange: 'ERR index out of range',
  overflow: 'ERR increment or decrement would overflow',
  oom: "OOM command not allowed when used memory > 'maxmemory'.",
  noAuth: 'NOAUTH Authentication required.',
  wrongPass: 'WRONGPASS invalid username-password pair or user is disabled.',
  execAbort: 'EXECABORT Transaction discarded because of previous errors.',
  nestedMulti: 'ERR MULTI calls can not be nested',
  dbIndexOutOfRange: 'ERR DB index is out of range',
  notPositive: 'ERR value is out of range, must be positive',
  timeoutNotFloat: 'ERR timeout is not a float or out of range',
  timeoutNegative: 'ERR timeout is negative',
  bitOffset: 'ERR bit offset is not an integer or out of range',
} as const;

export function wrongArity(name: string): string {
  return `ERR wrong number of arguments for '${name}' command`;
}

export function unknownCommand(name: string, args: readonly string[]): string {
  // Redis quotes the name and up to 128 bytes of each argument.
  let list = '';
  for (let i = 0; i < args.length && list.length < 128; i++) list += `'${args[i]!.slice(0, 128 - list.length)}' `;
  return `ERR unknown command '${name.slice(0, 128)}', with args beginning with: ${list}`;
}

export function unknownSubcommand(sub: string, cmd: string): string {
  return `ERR unknown subcommand '${sub.slice(0, 128)}'. Try ${cmd.toUpperCase()} HELP.`;
}

/** Invariant check that stays on in production (assertions are not errors). */
export function assert(cond: unknown, what: string): asserts cond {
  if (!cond) throw new Error(`assertion failed: ${what}`);
}
