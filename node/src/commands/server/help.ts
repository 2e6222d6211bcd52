// Replies shared by container commands (CLIENT, COMMAND, SLOWLOG, ...): the
// HELP text framed as Redis's addReplyHelp frames it, and the error Redis
// gives when a known subcommand gets arguments it cannot take.

import type { Session } from '../session.js';

/** `<CMD> <subcommand> ... Subcommands are:`, the lines, then HELP; each line a status reply. */
export function replyHelp(s: Session, command: string, lines: readonly string[]): void {
  const all = [`${command.toUpperCase()} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:`, ...lines, 'HELP', '    Prints this help.'];
  s.out.array(all.length);
  for (const l of all) s.out.simple(l);
}

/** Redis's addReplySubcommandSyntaxError. */
export function subcommandSyntaxError(sub: string, command: string): string {
  return `ERR unknown subcommand or wrong number of arguments for '${sub.slice(0, 128)}'. Try ${command.toUpperCase()} HELP.`;
}
