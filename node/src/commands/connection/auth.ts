import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';
import { checkCredentials, logIn } from './auth-check.js';

export const auth = {
  name: 'auth',
  arity: -2,
  flags: ['noscript', 'loading', 'stale', 'fast', 'no_auth', 'allow_busy'],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'Authenticate to the server',
  since: '1.0.0',
  complexity: 'O(N) where N is the number of passwords defined for the user',
  run(s, args) {
    if (args.length > 3) {
      s.error(Err.syntax);
      return;
    }
    let user = 'default';
    let password = args[1]!;
    if (args.length === 3) {
      user = args[1]!;
      password = args[2]!;
    } else if (s.node.config.requirepass() === '') {
      s.error(
        'ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?',
      );
      return;
    }
    if (!checkCredentials(s, user, password)) {
      s.error(Err.wrongPass);
      return;
    }
    logIn(s, user);
    s.out.ok();
  },
} as const satisfies CommandSpec;
