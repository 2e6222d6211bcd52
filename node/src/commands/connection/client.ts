// CLIENT: a connection's view of itself and an operator's view of all of
// them (LIST, KILL, PAUSE, UNBLOCK). Replies and errors follow Redis 7.0's
// clientCommand word for word.

import { NO_KEYS, type CommandFlag, type CommandRun, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import { Err } from '../../core/errors.js';
import { parseInteger } from '../args.js';
import { replyHelp, subcommandSyntaxError } from '../server/help.js';
import { clientInfoLine, clientType, clientTypeByName, type ClientType } from './client-info.js';

const BASE: readonly CommandFlag[] = ['noscript', 'loading', 'stale'];
const ADMIN: readonly CommandFlag[] = ['admin', 'noscript', 'loading', 'stale'];

function sub(name: string, arity: number, flags: readonly CommandFlag[], summary: string, since: string, run: CommandRun, tips?: readonly string[]): CommandSpec {
  return { name, arity, flags, group: 'connection', keys: NO_KEYS, summary, since, complexity: 'O(1)', run, ...(tips ? { tips } : {}) };
}

/** Redis's validateClientName: printable ASCII without spaces. */
export function validClientName(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

export const CLIENT_NAME_ERROR = 'ERR Client names cannot contain spaces, newlines or special characters.';

function infoLine(s: Session, target: Session, args: readonly string[]): string {
  return clientInfoLine(target, s.nowMs, { session: s, args, fullName: `client|${args[1]!.toLowerCase()}` });
}

const list = sub('list', -2, ADMIN, 'Get the list of client connections', '2.4.0', (s, args) => {
  const all = [...s.node.clients.byId.values()];
  let chosen: Session[];
  if (args.length === 4 && args[2]!.toLowerCase() === 'type') {
    const type = clientTypeByName(args[3]!);
    if (type === null) {
      s.error(`ERR Unknown client type '${args[3]!}'`);
      return;
    }
    chosen = all.filter((c) => clientType(c) === type);
  } else if (args.length > 3 && args[2]!.toLowerCase() === 'id') {
    chosen = [];
    for (let i = 3; i < args.length; i++) {
      const id = parseInteger(args[i]!);
      if (id === null) {
        s.error('ERR Invalid client ID');
        return;
      }
      const c = s.node.clients.byId.get(id);
      if (c) chosen.push(c);
    }
  } else if (args.length !== 2) {
    s.error(Err.syntax);
    return;
  } else chosen = all;
  let text = '';
  for (const c of chosen) text += infoLine(s, c, args) + '\n';
  s.out.verbatim(text);
}, ['nondeterministic_output']);

const info = sub('info', 2, BASE, 'Returns information about the current client connection.', '6.2.0', (s, args) => {
  s.out.verbatim(infoLine(s, s, args) + '\n');
}, ['nondeterministic_output']);

const id = sub('id', 2, BASE, 'Returns the client ID for the current connection', '5.0.0', (s) => {
  s.out.int(s.id);
});

const setname = sub('setname', 3, BASE, 'Set the current connection name', '2.6.9', (s, args) => {
  const name = args[2]!;
  if (!validClientName(name)) {
    s.error(CLIENT_NAME_ERROR);
    return;
  }
  s.name = name;
  s.out.ok();
});

const getname = sub('getname', 2, BASE, 'Get the current connection name', '2.6.9', (s) => {
  if (s.name === '') s.out.nil();
  else s.out.bulk(s.name);
});

interface KillFilter {
  id: number | null;
  type: ClientType | null;
  addr: string | null;
  laddr: string | null;
  user: string | null;
  skipMe: boolean;
}

const kill = sub('kill', -3, ADMIN, 'Kill the connection of a client', '2.4.0', (s, args) => {
  const f: KillFilter = { id: null, type: null, addr: null, laddr: null, user: null, skipMe: true };
  const oldForm = args.length === 3;
  if (oldForm) {
    f.addr = args[2]!;
    // The old form may kill the caller itself.
    f.skipMe = false;
  } else {
    for (let i = 2; i < args.length; i += 2) {
      const opt = args[i]!.toLowerCase();
      const val = args[i + 1];
      if (val === undefined) {
        s.error(Err.syntax);
        return;
      }
      if (opt === 'id') {
        const n = parseInteger(val);
        if (n === null || n < 1) {
          s.error('ERR client-id should be greater than 0');
          return;
        }
        f.id = n;
      } else if (opt === 'type') {
        const t = clientTypeByName(val);
        if (t === null) {
          s.error(`ERR Unknown client type '${val}'`);
          return;
        }
        f.type = t;
      } else if (opt === 'addr') f.addr = val;
      else if (opt === 'laddr') f.laddr = val;
      else if (opt === 'user') {
        // Only the default user exists until ACLs land.
        if (val !== 'default') {
          s.error(`ERR No such user '${val}'`);
          return;
        }
        f.user = val;
      } else if (opt === 'skipme') {
        const v = val.toLowerCase();
        if (v === 'yes') f.skipMe = true;
        else if (v === 'no') f.skipMe = false;
        else {
          s.error(Err.syntax);
          return;
        }
      } else {
        s.error(Err.syntax);
        return;
      }
    }
  }
  let killed = 0;
  let killSelf = false;
  for (const c of [...s.node.clients.byId.values()]) {
    if (f.addr !== null && c.transport.remoteAddress !== f.addr) continue;
    if (f.laddr !== null && c.transport.localAddress !== f.laddr) continue;
    if (f.type !== null && clientType(c) !== f.type) continue;
    if (f.id !== null && c.id !== f.id) continue;
    if (f.user !== null && c.user !== f.user) continue;
    if (c === s && f.skipMe) continue;
    killed++;
    // Closing ourselves must wait until this reply is written.
    if (c === s) killSelf = true;
    else c.transport.close();
  }
  if (oldForm) {
    if (killed === 0) s.error('ERR No such client');
    else s.out.ok();
  } else s.out.int(killed);
  if (killSelf) s.closeAfterReply = true;
});

const reply = sub('reply', 3, BASE, 'Instruct the server whether to reply to commands', '3.2.0', (s, args) => {
  // OFF and SKIP write nothing: the connection swallows replies per mode.
  const mode = args[2]!.toLowerCase();
  if (mode === 'on') {
    s.replyMode = 'on';
    s.out.ok();
  } else if (mode === 'off') s.replyMode = 'off';
  else if (mode === 'skip') {
    if (s.replyMode !== 'off') s.replyMode = 'skip';
  } else s.error(Err.syntax);
});

const noEvict = sub('no-evict', 3, ADMIN, 'Set client eviction mode for the current connection', '7.0.0', (s, args) => {
  const v = args[2]!.toLowerCase();
  if (v === 'on') s.noEvict = true;
  else if (v === 'off') s.noEvict = false;
  else {
    s.error(Err.syntax);
    return;
  }
  s.out.ok();
});

const pause = sub('pause', -3, ADMIN, 'Stop processing commands from clients for some time', '2.9.50', (s, args) => {
  if (args.length > 4) {
    s.error(subcommandSyntaxError(args[1]!, 'client'));
    return;
  }
  let all = true;
  if (args.length === 4) {
    const mode = args[3]!.toLowerCase();
    if (mode === 'write') all = false;
    else if (mode !== 'all') {
      s.error('ERR CLIENT PAUSE mode must be WRITE or ALL');
      return;
    }
  }
  const ms = parseInteger(args[2]!);
  if (ms === null) {
    s.error('ERR timeout is not an integer or out of range');
    return;
  }
  if (ms < 0) {
    s.error(Err.timeoutNegative);
    return;
  }
  // A zero timeout ends at once, which is no pause at all.
  if (ms > 0) s.node.dispatcher.pause(s.nowMs + ms, all);
  s.out.ok();
});

const unpause = sub('unpause', 2, ADMIN, 'Resume processing of clients that were paused', '6.2.0', (s) => {
  s.node.dispatcher.unpause();
  s.out.ok();
});

const unblock = sub('unblock', -3, ADMIN, 'Unblock a client blocked in a blocking command from a different connection', '5.0.0', (s, args) => {
  if (args.length > 4) {
    s.error(subcommandSyntaxError(args[1]!, 'client'));
    return;
  }
  let withError = false;
  if (args.length === 4) {
    const how = args[3]!.toLowerCase();
    if (how === 'error') withError = true;
    else if (how !== 'timeout') {
      s.error('ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR');
      return;
    }
  }
  const target = parseInteger(args[2]!);
  if (target === null) {
    s.error(Err.notInteger);
    return;
  }
  const c = s.node.clients.byId.get(target);
  s.out.int(c && c.blocked !== null && s.node.blocking.unblock(c, withError) ? 1 : 0);
});

const getredir = sub('getredir', 2, BASE, 'Get tracking notifications redirection client ID if any', '6.0.0', (s) => {
  // Client-side caching (TRACKING) is not implemented, so it is never on.
  s.out.int(-1);
});

const trackinginfo = sub('trackinginfo', 2, BASE, 'Return information about server assisted client side caching for the current connection', '6.2.0', (s) => {
  s.out.map(3);
  s.out.bulk('flags');
  s.out.set(1);
  s.out.bulk('off');
  s.out.bulk('redirect');
  s.out.int(-1);
  s.out.bulk('prefixes');
  s.out.array(0);
});

const HELP_LINES = [
  'GETREDIR',
  '    Return the client ID we are redirecting to when tracking is enabled.',
  'GETNAME',
  '    Return the name of the current connection.',
  'ID',
  '    Return the ID of the current connection.',
  'INFO',
  '    Return information about the current client connection.',
  'KILL <ip:port>',
  '    Kill connection made from <ip:port>.',
  'KILL <option> <value> [<option> <value> [...]]',
  '    Kill connections. Options are:',
  '    * ADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made from the specified address',
  '    * LADDR (<ip:port>|<unixsocket>:0)',
  '      Kill connections made to specified local address',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Kill connections by type.',
  '    * USER <username>',
  '      Kill connections authenticated by <username>.',
  '    * SKIPME (YES|NO)',
  '      Skip killing current connection (default: yes).',
  'LIST [options ...]',
  '    Return information about client connections. Options:',
  '    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)',
  '      Return clients of specified type.',
  'UNPAUSE',
  '    Stop the current client pause, resuming traffic.',
  'PAUSE <timeout> [WRITE|ALL]',
  '    Suspend all, or just write, clients for <timeout> milliseconds.',
  'REPLY (ON|OFF|SKIP)',
  '    Control the replies sent to the current connection.',
  'SETNAME <name>',
  '    Assign the name <name> to the current connection.',
  'UNBLOCK <clientid> [TIMEOUT|ERROR]',
  '    Unblock the specified blocked client.',
  'TRACKINGINFO',
  '    Report tracking status for the current connection.',
  'NO-EVICT (ON|OFF)',
  '    Protect current client connection from eviction.',
];

const help = sub('help', 2, ['loading', 'stale'], 'Show helpful text about the different subcommands', '5.0.0', (s) => {
  replyHelp(s, 'CLIENT', HELP_LINES);
});

export const client = {
  name: 'client',
  arity: -2,
  flags: [],
  group: 'connection',
  keys: NO_KEYS,
  summary: 'A container for client connection commands',
  since: '2.4.0',
  complexity: 'Depends on subcommand.',
  subcommands: [id, info, list, setname, getname, kill, reply, noEvict, pause, unpause, unblock, getredir, trackinginfo, help],
} as const satisfies CommandSpec;
