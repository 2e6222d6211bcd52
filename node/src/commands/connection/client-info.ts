// One line of CLIENT LIST / CLIENT INFO in Redis 7.0's field order, and the
// client types that LIST TYPE and KILL TYPE filter on.

import type { Session } from '../session.js';

export type ClientType = 'normal' | 'master' | 'replica' | 'pubsub';

/** Redis's getClientTypeByName ("slave" is the old word for replica). */
export function clientTypeByName(name: string): ClientType | null {
  switch (name.toLowerCase()) {
    case 'normal':
      return 'normal';
    case 'slave':
    case 'replica':
      return 'replica';
    case 'pubsub':
      return 'pubsub';
    case 'master':
      return 'master';
    default:
      return null;
  }
}

export function clientType(s: Session): ClientType {
  if (s.kindFlags.includes('M')) return 'master';
  if (s.kindFlags.includes('S')) return 'replica';
  if (s.subscriptionCount > 0) return 'pubsub';
  return 'normal';
}

/** Flag letters in catClientInfoString's order; 'N' when none apply. */
function flagLetters(s: Session): string {
  let f = '';
  if (s.kindFlags.includes('O')) f += 'O';
  else if (s.kindFlags.includes('S')) f += 'S';
  if (s.kindFlags.includes('M')) f += 'M';
  if (s.subscriptionCount > 0) f += 'P';
  if (s.inMulti) f += 'x';
  if (s.blocked !== null || s.parkedArgs !== null) f += 'b';
  if (s.watchDirty) f += 'd';
  if (s.closeAfterReply) f += 'c';
  if (s.readOnly) f += 'r';
  if (s.noEvict) f += 'e';
  return f === '' ? 'N' : f;
}

function argsBytes(args: readonly string[]): number {
  let n = 0;
  for (const a of args) n += a.length;
  return n;
}

/**
 * `current` is the command being run by the asking client: Redis reports its
 * own argv and name for the caller, the last command for everyone else.
 */
export function clientInfoLine(s: Session, nowMs: number, current: { session: Session; args: readonly string[]; fullName: string } | null): string {
  const self = current !== null && current.session === s;
  const argvMem = self ? argsBytes(current.args) : 0;
  let multiMem = 0;
  for (const q of s.multiQueue) multiMem += argsBytes(q.args) + 16 * q.args.length;
  const cmd = self ? current.fullName : s.lastCommand;
  // No per-client reply buffer exists (replies share one writer), so the
  // buffer fields report a fixed baseline and memory is what the client holds.
  const totMem = 1024 + argvMem + multiMem;
  return (
    `id=${s.id} addr=${s.transport.remoteAddress} laddr=${s.transport.localAddress} fd=${s.transport.fd}` +
    ` name=${s.name} age=${Math.floor((nowMs - s.createdMs) / 1000)} idle=${Math.floor((nowMs - s.lastInteractionMs) / 1000)}` +
    ` flags=${flagLetters(s)} db=${s.dbIndex} sub=${s.channels.size} psub=${s.patterns.size} ssub=${s.shardChannels.size}` +
    ` multi=${s.inMulti ? s.multiQueue.length : -1} qbuf=0 qbuf-free=0 argv-mem=${argvMem} multi-mem=${multiMem}` +
    ` rbs=1024 rbp=0 obl=0 oll=0 omem=0 tot-mem=${totMem} events=r cmd=${cmd} user=${s.user} redir=-1 resp=${s.resp}`
  );
}
