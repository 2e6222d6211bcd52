import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import { checkCredentials, logIn } from './auth-check.js';
import { CLIENT_NAME_ERROR, validClientName } from './client.js';
import { REDIS_VERSION } from '../server/version.js';

export const hello = {
  name: 'hello',
  arity: -1,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Handshake with Redis',
  since: '6.0.0',
  complexity: 'O(1)',
  run(s, args) {
    let version: 2 | 3 | null = null;
    if (args.length >= 2) {
      const v = parseInteger(args[1]!);
      if (v === null) {
        s.error('ERR Protocol version is not an integer or out of range');
        return;
      }
      if (v < 2 || v > 3) {
        s.error('NOPROTO unsupported protocol version');
        return;
      }
      version = v === 3 ? 3 : 2;
    }
    let user: string | null = null;
    let password = '';
    let name: string | null = null;
    for (let i = 2; i < args.length; i++) {
      const opt = args[i]!;
      const more = args.length - i - 1;
      const lower = opt.toLowerCase();
      if (lower === 'auth' && more >= 2) {
        user = args[i + 1]!;
        password = args[i + 2]!;
        i += 2;
      } else if (lower === 'setname' && more >= 1) {
        name = args[i + 1]!;
        if (!validClientName(name)) {
          s.error(CLIENT_NAME_ERROR);
          return;
        }
        i += 1;
      } else {
        s.error(`ERR Syntax error in HELLO option '${opt}'`);
        return;
      }
    }
    if (user !== null) {
      if (!checkCredentials(s, user, password)) {
        s.error(Err.wrongPass);
        return;
      }
      logIn(s, user);
    }
    if (!s.authenticated) {
      s.error(
        'NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time',
      );
      return;
    }
    if (name !== null) s.name = name;
    if (version !== null) {
      s.resp = version;
      // The reply, and every later reply in this batch, speaks the new protocol.
      s.out.resp = version;
    }
    const zone = s.node.config.get('availability-zone') ?? '';
    s.out.map(zone === '' ? 7 : 8);
    s.out.bulk('server');
    s.out.bulk('redis');
    s.out.bulk('version');
    s.out.bulk(REDIS_VERSION);
    s.out.bulk('proto');
    s.out.int(s.resp);
    s.out.bulk('id');
    s.out.int(s.id);
    s.out.bulk('mode');
    s.out.bulk(s.node.clusterEnabled ? 'cluster' : 'standalone');
    s.out.bulk('role');
    // Replication is not in the node yet, so every node is a primary.
    s.out.bulk('master');
    s.out.bulk('modules');
    s.out.array(0);
    // Valkey's addition; left out when unset so the reply matches Redis exactly.
    if (zone !== '') {
      s.out.bulk('availability_zone');
      s.out.bulk(zone);
    }
  },
} as const satisfies CommandSpec;
