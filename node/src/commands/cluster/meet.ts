// CLUSTER MEET ip port [bus-port]: start a handshake. A well-formed address
// that does not answer is still OK (the handshake times out later), as in Redis.
import { ReplyError } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import { subcommandSyntaxError } from '../server/help.js';
import { ADMIN, clusterOf, replyAdmin, sub } from './common.js';

export const meet = sub('meet', -4, ADMIN, 'Force a node cluster to handshake with another node', '3.0.0', (s, args) => {
  const host = clusterOf(s);
  if (args.length > 5) throw new ReplyError(subcommandSyntaxError(args[1]!, 'cluster'));
  const port = parseInteger(args[3]!);
  if (port === null) throw new ReplyError(`ERR Invalid TCP base port specified: ${args[3]!}`);
  let busPort = port + 10000;
  if (args.length === 5) {
    const b = parseInteger(args[4]!);
    if (b === null) throw new ReplyError(`ERR Invalid TCP bus port specified: ${args[4]!}`);
    busPort = b;
  }
  replyAdmin(s, host, host.core.meet(args[2]!, port, busPort, s.nowMs));
});
