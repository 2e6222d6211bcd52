// nodes.conf: the cluster state a node needs to rejoin with the same id,
// epochs and slots after a restart, in Redis's line format so operators
// (and tools that read it) see what they know from redis-server:
//
//   <id> <ip:port@cport[,hostname[,key=value...]]> <flags> <primary|-> <ping_sent> <pong_recv> <config_epoch> <connected|disconnected> <slots...>
//   vars currentEpoch <n> lastVoteEpoch <m>
//
// Shard id and availability zone travel as aux fields after the hostname, as
// Redis 7.2 writes `shard-id=`; 7.0's form (`,hostname` only, or nothing) is
// read too. Pure: text in, value out; the atomic write is the server's job.
// A file that does not parse is an error naming the line, never an empty
// config: silently starting fresh would give the node a new id and lose its
// slots.

import type { PersistedClusterConfig, PersistedNode } from './api.js';
import type { SlotRange } from './types.js';
import { SLOT_COUNT } from './types.js';

export class NodesConfError extends Error {
  override readonly name = 'NodesConfError';
  constructor(
    /** 1-based line number, or 0 for the file as a whole. */
    readonly lineNo: number,
    readonly line: string,
    readonly reason: string,
  ) {
    super(lineNo > 0 ? `Unrecoverable error: corrupted cluster config file "${line}" (line ${lineNo}: ${reason})` : `Unrecoverable error: corrupted cluster config file (${reason})`);
  }
}

const ID_RE = /^[0-9a-f]{40}$/;
const KNOWN_FLAGS = new Set(['myself', 'master', 'slave', 'fail?', 'fail', 'handshake', 'noaddr', 'nofailover', 'noflags']);

/** Flags as CLUSTER NODES spells them, in Redis's order; 'noflags' when none. */
export function flagsText(flags: readonly string[]): string {
  const order = ['myself', 'master', 'slave', 'pfail', 'fail', 'handshake', 'noaddr', 'nofailover'];
  const out: string[] = [];
  for (const f of order) if (flags.includes(f)) out.push(f === 'pfail' ? 'fail?' : f);
  return out.length ? out.join(',') : 'noflags';
}

export function rangeText(r: SlotRange): string {
  return r[0] === r[1] ? String(r[0]) : `${r[0]}-${r[1]}`;
}

/** The address field: ip:port@cport, then ",hostname" and aux fields when there is something to say. */
export function addressField(n: { ip: string; port: number; busPort: number; hostname: string }, aux: ReadonlyArray<readonly [string, string]>): string {
  let s = `${n.ip}:${n.port}@${n.busPort}`;
  if (n.hostname !== '' || aux.length > 0) s += `,${n.hostname}`;
  for (const [k, v] of aux) s += `,${k}=${v}`;
  return s;
}

/** One node's line (without the newline). */
export function serializeNode(n: PersistedNode, migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>): string {
  let line = nodeFields(n);
  if (n.flags.includes('myself')) line += openSlotsText(migrating, importing);
  return line;
}

/** Open slots are this node's own business: Redis lists them on its own line. */
function openSlotsText(migrating: ReadonlyMap<number, string>, importing: ReadonlyMap<number, string>): string {
  let out = '';
  for (const [slot, to] of [...migrating].sort((a, b) => a[0] - b[0])) out += ` [${slot}->-${to}]`;
  for (const [slot, from] of [...importing].sort((a, b) => a[0] - b[0])) out += ` [${slot}-<-${from}]`;
  return out;
}

/** A node's line up to its slot ranges (no open slots). */
function nodeFields(n: PersistedNode): string {
  const aux: [string, string][] = [];
  if (n.shardId !== '') aux.push(['shard-id', n.shardId]);
  if (n.zone !== '') aux.push(['availability-zone', n.zone]);
  const flags = flagsText(n.flags);
  const parts = [
    n.id,
    addressField(n, aux),
    flags,
    n.primaryId === '' ? '-' : n.primaryId,
    String(n.pingSentMs),
    String(n.pongRecvMs),
    String(n.configEpoch),
    n.linkConnected ? 'connected' : 'disconnected',
  ];
  for (const r of n.slots) parts.push(rangeText(r));
  return parts.join(' ');
}

export function serializeNodesConf(c: PersistedClusterConfig): string {
  let out = '';
  for (const n of c.nodes) out += serializeNode(n, c.migrating, c.importing) + '\n';
  out += `vars currentEpoch ${c.currentEpoch} lastVoteEpoch ${c.lastVoteEpoch}\n`;
  return out;
}

function sameNode(x: PersistedNode, y: PersistedNode): boolean {
  if (x.flags.length !== y.flags.length) return false;
  for (let i = 0; i < x.flags.length; i++) if (x.flags[i] !== y.flags[i]) return false;
  if (x.slots !== y.slots) {
    if (x.slots.length !== y.slots.length) return false;
    for (let i = 0; i < x.slots.length; i++) if (x.slots[i]![0] !== y.slots[i]![0] || x.slots[i]![1] !== y.slots[i]![1]) return false;
  }
  return (
    x.id === y.id &&
    x.ip === y.ip &&
    x.port === y.port &&
    x.busPort === y.busPort &&
    x.hostname === y.hostname &&
    x.primaryId === y.primaryId &&
    x.pingSentMs === y.pingSentMs &&
    x.pongRecvMs === y.pongRecvMs &&
    x.configEpoch === y.configEpoch &&
    x.linkConnected === y.linkConnected &&
    x.shardId === y.shardId &&
    x.zone === y.zone
  );
}

/**
 * serializeNodesConf for a node that saves often (a reshard saves two or
 * three times per slot, and a large cluster's file has a line per node):
 * each node's line is kept from the previous call and re-rendered only when
 * something in it changed. Same text as serializeNodesConf.
 */
export class NodesConfSerializer {
  private lines = new Map<string, { readonly node: PersistedNode; readonly text: string }>();

  serialize(c: PersistedClusterConfig): string {
    const next = new Map<string, { readonly node: PersistedNode; readonly text: string }>();
    let out = '';
    for (const n of c.nodes) {
      let e = this.lines.get(n.id);
      if (e === undefined || !sameNode(e.node, n)) e = { node: n, text: nodeFields(n) };
      next.set(n.id, e);
      out += e.text;
      if (n.flags.includes('myself')) out += openSlotsText(c.migrating, c.importing);
      out += '\n';
    }
    this.lines = next;
    out += `vars currentEpoch ${c.currentEpoch} lastVoteEpoch ${c.lastVoteEpoch}\n`;
    return out;
  }
}

function parseUint(text: string): number | null {
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function parseSlot(text: string): number | null {
  const n = parseUint(text);
  return n !== null && n < SLOT_COUNT ? n : null;
}

/**
 * Parses nodes.conf text. An empty (or whitespace-only) file means a fresh
 * node, as Redis treats a zero-length file; returns null then.
 */
export function parseNodesConf(text: string): PersistedClusterConfig | null {
  if (text.trim() === '') return null;
  const lines = text.split('\n');
  // We always end the file with a newline: without one the write was cut short.
  const last = lines.pop();
  if (last !== '') throw new NodesConfError(lines.length + 1, last ?? '', 'truncated: the last line has no newline');
  const nodes: PersistedNode[] = [];
  const migrating = new Map<number, string>();
  const importing = new Map<number, string>();
  let currentEpoch = 0;
  let lastVoteEpoch = 0;
  let sawVars = false;
  const seen = new Set<string>();
  let myselfCount = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const lineNo = i + 1;
    const fail = (reason: string): never => {
      throw new NodesConfError(lineNo, line, reason);
    };
    if (line.trim() === '') continue;
    const f = line.split(' ').filter((w) => w !== '');
    if (f[0] === 'vars') {
      if (f.length % 2 !== 1) fail('vars needs name/value pairs');
      for (let j = 1; j < f.length; j += 2) {
        const v = parseUint(f[j + 1]!);
        if (v === null) fail(`bad value for ${f[j]!}`);
        if (f[j] === 'currentEpoch') currentEpoch = v!;
        else if (f[j] === 'lastVoteEpoch') lastVoteEpoch = v!;
        // Unknown vars are skipped, as Redis does, so a newer file still loads.
      }
      sawVars = true;
      continue;
    }
    if (f.length < 8) fail(`expected at least 8 fields, got ${f.length}`);
    const id = f[0]!;
    if (!ID_RE.test(id)) fail('node id is not 40 lowercase hex characters');
    if (seen.has(id)) fail(`node ${id} listed twice`);
    seen.add(id);
    const addr = f[1]!.split(',');
    const m = /^(.*):(\d{1,5})@(\d{1,5})$/.exec(addr[0]!);
    if (!m) fail('address is not ip:port@cport');
    const ip = m![1]!;
    const port = Number(m![2]);
    const busPort = Number(m![3]);
    if (port > 65535 || busPort > 65535) fail('port out of range');
    let hostname = '';
    let shardId = '';
    let zone = '';
    for (let j = 1; j < addr.length; j++) {
      const field = addr[j]!;
      const eq = field.indexOf('=');
      if (eq < 0) {
        // Redis 7.0 writes the hostname alone; 7.2 keeps it first, before the aux fields.
        if (j !== 1) fail(`aux field "${field}" is not key=value`);
        hostname = field;
        continue;
      }
      const key = field.slice(0, eq);
      const value = field.slice(eq + 1);
      if (key === 'shard-id') {
        if (!ID_RE.test(value)) fail('shard-id is not 40 lowercase hex characters');
        shardId = value;
      } else if (key === 'availability-zone') zone = value;
      else if (key === 'hostname') hostname = value;
      // Other aux fields (tls-port, nodename, ...) are Redis's; nothing of ours depends on them.
    }
    const flags = f[2]!.split(',');
    for (const fl of flags) if (!KNOWN_FLAGS.has(fl)) fail(`unknown flag "${fl}"`);
    const nodeFlags = flags.filter((fl) => fl !== 'noflags').map((fl) => (fl === 'fail?' ? 'pfail' : fl));
    const myself = nodeFlags.includes('myself');
    if (myself) myselfCount++;
    const primary = f[3]!;
    if (primary !== '-' && !ID_RE.test(primary)) fail('primary is neither "-" nor a node id');
    const pingSentMs = parseUint(f[4]!);
    const pongRecvMs = parseUint(f[5]!);
    const configEpoch = parseUint(f[6]!);
    if (pingSentMs === null || pongRecvMs === null || configEpoch === null) fail('ping_sent, pong_recv and config_epoch must be integers');
    const link = f[7]!;
    if (link !== 'connected' && link !== 'disconnected') fail('link state is neither connected nor disconnected');
    const slots: [number, number][] = [];
    for (let j = 8; j < f.length; j++) {
      const w = f[j]!;
      if (w.startsWith('[')) {
        const open = /^\[(\d+)-([<>])-([0-9a-f]{40})\]$/.exec(w);
        if (!open) fail(`bad open slot "${w}"`);
        const slot = parseSlot(open![1]!);
        if (slot === null) fail(`slot out of range in "${w}"`);
        if (!myself) fail('open slots belong on the myself line');
        (open![2] === '>' ? migrating : importing).set(slot!, open![3]!);
        continue;
      }
      const dash = w.indexOf('-');
      const a = parseSlot(dash < 0 ? w : w.slice(0, dash));
      const b = dash < 0 ? a : parseSlot(w.slice(dash + 1));
      if (a === null || b === null || b < a) fail(`bad slot range "${w}"`);
      const prev = slots[slots.length - 1];
      if (prev && a! <= prev[1]) fail(`slot range "${w}" overlaps or is out of order`);
      if (prev && a! === prev[1] + 1) prev[1] = b!;
      else slots.push([a!, b!]);
    }
    nodes.push({
      id,
      ip,
      port,
      busPort,
      hostname,
      flags: nodeFlags,
      primaryId: primary === '-' ? '' : primary,
      pingSentMs: pingSentMs!,
      pongRecvMs: pongRecvMs!,
      configEpoch: configEpoch!,
      linkConnected: link === 'connected',
      slots,
      shardId,
      zone,
    });
  }
  if (myselfCount !== 1) throw new NodesConfError(0, '', myselfCount === 0 ? 'no node is flagged myself' : 'more than one node is flagged myself');
  if (!sawVars) throw new NodesConfError(0, '', 'missing the "vars currentEpoch ... lastVoteEpoch ..." line (truncated?)');
  return { nodes, currentEpoch, lastVoteEpoch, migrating, importing };
}
