// MONITOR: every executed command, as a status line, to the sessions that
// asked. The line format is redis-server's, so `redis-cli monitor` output and
// tools that parse it (e.g. log replayers) work unchanged.

import type { Session } from '../commands/session.js';

/** Redis's sdscatrepr: a double-quoted string with C escapes. */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 0x5c:
        out += '\\\\';
        break;
      case 0x22:
        out += '\\"';
        break;
      case 0x0a:
        out += '\\n';
        break;
      case 0x0d:
        out += '\\r';
        break;
      case 0x09:
        out += '\\t';
        break;
      case 0x07:
        out += '\\a';
        break;
      case 0x08:
        out += '\\b';
        break;
      default:
        out += c >= 0x20 && c <= 0x7e ? s[i]! : `\\x${c.toString(16).padStart(2, '0')}`;
    }
  }
  return out + '"';
}

/** `<sec>.<usec> [<db> <addr>] "arg" ...` */
export function monitorLine(nowMs: number, db: number, addr: string, args: readonly string[]): string {
  const sec = Math.floor(nowMs / 1000);
  const usec = Math.round((nowMs - sec * 1000) * 1000);
  let line = `${sec}.${String(usec).padStart(6, '0')} [${db} ${addr}]`;
  for (const a of args) line += ' ' + quoteRepr(a);
  return line;
}

export class MonitorHub {
  readonly sessions = new Set<Session>();

  get isEmpty(): boolean {
    return this.sessions.size === 0;
  }

  /** Sends a command to every monitor still connected (closed ones are dropped here). */
  feed(source: Session, args: readonly string[], nowMs: number): void {
    let line: string | null = null;
    for (const m of this.sessions) {
      if (m.node.clients.byId.get(m.id) !== m) {
        this.sessions.delete(m);
        continue;
      }
      line ??= monitorLine(nowMs, source.dbIndex, source.transport.remoteAddress, args);
      const text = line;
      m.node.deliver(m, (w) => w.simple(text));
    }
  }
}
