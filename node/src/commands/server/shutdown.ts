import { NO_KEYS, type CommandSpec } from '../spec.js';
import { Err } from '../../core/errors.js';

export const shutdown = {
  name: 'shutdown',
  arity: -1,
  flags: ['admin', 'noscript', 'loading', 'stale', 'no_multi', 'allow_busy'],
  group: 'server',
  keys: NO_KEYS,
  summary: 'Synchronously save the dataset to disk and then shut down the server',
  since: '1.0.0',
  complexity: 'O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)',
  run(s, args) {
    let saveFlag = false;
    let nosaveFlag = false;
    let now = false;
    let force = false;
    let abort = false;
    for (let i = 1; i < args.length; i++) {
      const a = args[i]!.toLowerCase();
      if (a === 'nosave') nosaveFlag = true;
      else if (a === 'save') saveFlag = true;
      else if (a === 'now') now = true;
      else if (a === 'force') force = true;
      else if (a === 'abort') abort = true;
      else {
        s.error(Err.syntax);
        return;
      }
    }
    if ((saveFlag && nosaveFlag) || (abort && args.length !== 2)) {
      s.error(Err.syntax);
      return;
    }
    if (abort) {
      // Shutdown is immediate (nothing to wait for), so none is ever in progress.
      s.error('ERR No shutdown in progress.');
      return;
    }
    if (saveFlag && !force) {
      // An explicit SAVE cannot be honoured without persistence; Redis refuses
      // to exit when its final save fails, unless FORCE.
      s.node.logger.warn('SHUTDOWN SAVE refused: persistence is not available; use NOSAVE or FORCE');
      s.error('ERR Errors trying to SHUTDOWN. Check logs.');
      return;
    }
    const save = saveFlag ? true : nosaveFlag ? false : null;
    const refusal = s.node.host.shutdown({ save, now, force });
    if (refusal !== null) {
      s.error(refusal);
      return;
    }
    // Redis closes the connection without replying when it shuts down.
    s.closeAfterReply = true;
  },
} as const satisfies CommandSpec;
