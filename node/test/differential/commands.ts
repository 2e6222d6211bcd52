// Per-command argument generators: for each command of the table, a
// function that draws one invocation, mostly valid forms with every option,
// plus invalid ones (non-integers, out-of-range values, bad options, wrong
// types through shared key names). Gen.cmd adds arity and case mangling on
// top. A generator returns a Step so it also says how replies are compared.
//
// Constraints every generator keeps, so both servers must agree exactly:
// no key ever expires during a run (relative TTLs >= 1000 s, or <= 0 / in the
// past, which deletes at once), no blocking command without a timeout, no
// huge allocation (offsets and counts stay small unless they are errors).

import { Gen, type Cmd, type KeyType, type Step } from './gen.js';
import { EXACT, INFO, PAIRS, SHAPE, SORTED, TIME, TTL_MS, TTL_S, type Check } from './normalise.js';
import type { PickSpec } from './picks.js';

export type CommandGen = (g: Gen) => Step;

// ---- shared argument shapes -------------------------------------------------

function expiryOption(g: Gen, forGetex: boolean): string[] {
  const r = g.int(forGetex ? 7 : 8);
  switch (r) {
    case 0:
      return ['EX', String(g.ttlSeconds())];
    case 1:
      return ['PX', String(g.ttlMillis())];
    case 2:
      return ['EXAT', String(g.chance(0.8) ? g.atSeconds() : g.pastSeconds())];
    case 3:
      return ['PXAT', String(g.chance(0.8) ? g.atMillis() : g.pastSeconds() * 1000)];
    case 4:
      return [g.pick(['EX', 'PX', 'EXAT', 'PXAT']), g.pick(['0', '-1', 'abc', '', '1.5', '9223372036854775807'])];
    case 5:
      return forGetex ? ['PERSIST'] : ['KEEPTTL'];
    case 6:
      return [g.pick(['EX', 'PX'])];
    default:
      return ['KEEPTTL'];
  }
}

function scoreRange(g: Gen): string {
  return g.pick(['-inf', '+inf', '0', '1', '(1', '2', '(2.5', '5', '10', '-1', '1.5', 'abc', '((1', 'inf', '(-inf']);
}
function lexRange(g: Gen): string {
  return g.pick(['-', '+', '[a', '(a', '[m3', '(m5', '[c', '[', '(', 'a', '[\xff', '(m0']);
}
function rankArg(g: Gen): string {
  return g.chance(0.05) ? g.pick(['abc', '1.5', '9223372036854775808']) : g.pick(['0', '1', '2', '-1', '-2', '3', '5', '-5', '100', '-100']);
}
function direction(g: Gen): string {
  return g.chance(0.05) ? g.pick(['UP', 'MIDDLE', '']) : g.pick(['LEFT', 'RIGHT', 'left']);
}
function minmax(g: Gen): string {
  return g.chance(0.05) ? g.pick(['MID', 'MAXIMUM', '']) : g.pick(['MIN', 'MAX', 'min']);
}
function countOpt(g: Gen): string[] {
  if (!g.chance(0.5)) return [];
  return ['COUNT', g.chance(0.1) ? g.pick(['0', '-1', 'abc', '']) : String(g.between(1, 5))];
}
/** numkeys + keys, sometimes with a wrong numkeys. */
function numkeys(g: Gen, type: KeyType, min: number, max: number): string[] {
  const ks = g.keys(type, min, max);
  const r = g.int(20);
  if (r === 0) return ['0', ...ks];
  if (r === 1) return [String(ks.length + 2), ...ks];
  if (r === 2) return [g.pick(['abc', '-1', '1.5']), ...ks];
  return [String(ks.length), ...ks];
}
/** A blocking command's timeout: tiny when valid (never 0, which would block forever), or malformed. */
function blockTimeout(g: Gen): string {
  return g.chance(0.1) ? g.pick(['-1', 'abc', '', 'inf', '-0.5']) : g.pick(['0.001', '0.002', '0.001']);
}

function pickCount(args: readonly string[], at: number): bigint | null {
  const a = args[at];
  if (a === undefined || !/^-?\d+$/.test(a)) return null;
  return BigInt(a);
}

/** A random pick step; its PickSpec is derived from the final (possibly mangled) arguments. */
function pickStep(g: Gen, name: string, args: string[], of: PickSpec['of'], probe: string[], removes = false): Step {
  const cmd: Cmd = g.mutate(name, args, EXACT);
  const hasCount = cmd.args.length >= 3;
  const count = hasCount ? pickCount(cmd.args, 2) : null;
  const withValues = cmd.args.length === 4 && /^(withvalues|withscores)$/i.test(cmd.args[3]!);
  // A count that is not an integer makes the reply an error, compared exactly; the spec only matters for valid forms.
  return { t: 'pick', cmd, probe, key: args[1] ?? '', pick: { of, count: hasCount ? (count ?? 0n) : null, withValues, removes } };
}

function scanStep(g: Gen, name: string, args: string[], cursorAt: number, pairs: boolean): Step {
  return { t: 'scan', cmd: g.mutate(name, args, EXACT), cursorAt, pairs };
}

function scanOptions(g: Gen, keyspace: boolean): string[] {
  const out: string[] = [];
  const opts = g.shuffle(['match', 'count', ...(keyspace ? ['type'] : [])]).slice(0, g.int(keyspace ? 4 : 3));
  for (const o of opts) {
    if (o === 'match') out.push('MATCH', g.pick(keyspace ? ['*', 's:*', '*:1', 'k?0', '[sh]:*', 'z:[0-3]', 'nomatch*', '*\\:*'] : ['*', 'm*', 'f*', '?', '[ab]', '*1*', 'x*']));
    else if (o === 'count') out.push('COUNT', g.chance(0.1) ? g.pick(['0', '-1', 'abc']) : String(g.between(1, 20)));
    else out.push('TYPE', g.pick(['string', 'hash', 'list', 'set', 'zset', 'none', 'stream', 'STRING']));
  }
  if (g.chance(0.03)) out.push(g.pick(['NOVALUES', 'BADOPT', 'MATCH']));
  return out;
}

function cursor(g: Gen): string {
  // Only malformed cursors besides 0: a valid non-zero start is not a complete iteration and depends on the table layout.
  return g.chance(0.05) ? g.pick(['abc', '18446744073709551616', '1.5', '']) : '0';
}

function setsPastExpiry(args: readonly string[]): boolean {
  for (let i = 3; i < args.length - 1; i++) {
    const o = args[i]!.toUpperCase();
    const v = Number(args[i + 1]);
    if (o === 'EXAT' && v > 0 && v < 4102444800) return true;
    if (o === 'PXAT' && v > 0 && v < 4102444800000) return true;
  }
  return false;
}

// ---- the table --------------------------------------------------------------

const c = (name: string, args: (g: Gen) => string[], check: Check = EXACT): CommandGen => (g) => g.cmd(name, args(g), check);
const blocking = (name: string, args: (g: Gen) => string[]): CommandGen => (g) => g.cmd(name, args(g), EXACT, { sync: true });

const S: KeyType = 'string';
const H: KeyType = 'hash';
const L: KeyType = 'list';
const SET: KeyType = 'set';
const Z: KeyType = 'zset';

export const STRINGS: Record<string, CommandGen> = {
  get: c('get', (g) => ['GET', g.key(S)]),
  set: (g) => {
    const key = g.key(S);
    const opts: string[][] = [];
    if (g.chance(0.3)) opts.push([g.pick(['NX', 'XX'])]);
    if (g.chance(0.25)) opts.push(['GET']);
    if (g.chance(0.4)) opts.push(expiryOption(g, false));
    if (g.chance(0.05)) opts.push([g.pick(['NX', 'XX', 'KEEPTTL', 'FOO', 'EX'])]);
    const step = g.cmd('set', ['SET', key, g.value(), ...g.shuffle(opts).flat()]);
    if (step.t !== 'cmd' || !setsPastExpiry(step.cmd.args)) return step;
    // Redis stores a key SET with a past EXAT/PXAT and reclaims it lazily or by the active expiry cycle, so DBSIZE
    // would depend on timing; a read right away reclaims it deterministically.
    return { t: 'group', cmds: [step.cmd, { name: 'exists', args: ['EXISTS', key], check: EXACT }] };
  },
  getex: c('getex', (g) => {
    const args = ['GETEX', g.key(S)];
    if (g.chance(0.6)) args.push(...expiryOption(g, true));
    if (g.chance(0.05)) args.push(...expiryOption(g, true));
    return args;
  }),
  getdel: c('getdel', (g) => ['GETDEL', g.key(S)]),
  getset: c('getset', (g) => ['GETSET', g.key(S), g.value()]),
  setnx: c('setnx', (g) => ['SETNX', g.key(S), g.value()]),
  setex: c('setex', (g) => ['SETEX', g.key(S), g.chance(0.85) ? String(g.ttlSeconds()) : g.pick(['0', '-5', 'abc', '1.5']), g.value()]),
  psetex: c('psetex', (g) => ['PSETEX', g.key(S), g.chance(0.85) ? String(g.ttlMillis()) : g.pick(['0', '-5', 'abc', '1.5']), g.value()]),
  incr: c('incr', (g) => ['INCR', g.key(S)]),
  decr: c('decr', (g) => ['DECR', g.key(S)]),
  incrby: c('incrby', (g) => ['INCRBY', g.key(S), g.intArg()]),
  decrby: c('decrby', (g) => ['DECRBY', g.key(S), g.intArg()]),
  incrbyfloat: c('incrbyfloat', (g) => ['INCRBYFLOAT', g.key(S), g.chance(0.1) ? g.pick(['inf', '-inf', '1e308', '0x10', '1e-5']) : g.floatArg()]),
  append: c('append', (g) => ['APPEND', g.key(S), g.value()]),
  strlen: c('strlen', (g) => ['STRLEN', g.key(S)]),
  getrange: c('getrange', (g) => ['GETRANGE', g.key(S), rankArg(g), rankArg(g)]),
  substr: c('substr', (g) => ['SUBSTR', g.key(S), rankArg(g), rankArg(g)]),
  setrange: c('setrange', (g) => [
    'SETRANGE',
    g.key(S),
    g.chance(0.9) ? String(g.between(0, 120)) : g.pick(['-1', 'abc', '536870912', '4294967296']),
    g.chance(0.1) ? '' : g.value(),
  ]),
  mget: c('mget', (g) => ['MGET', ...g.keys(S, 1, 5)]),
  mset: c('mset', (g) => ['MSET', ...g.keys(S, 1, 4).flatMap((k) => [k, g.value()]), ...(g.chance(0.05) ? ['odd'] : [])]),
  msetnx: c('msetnx', (g) => ['MSETNX', ...g.keys(S, 1, 3).flatMap((k) => [k, g.value()]), ...(g.chance(0.05) ? ['odd'] : [])]),
};

function bitRangeUnit(g: Gen): string[] {
  return g.chance(0.6) ? [] : [g.pick(['BYTE', 'BIT', 'bit', 'WORD'])];
}

export const BITMAPS: Record<string, CommandGen> = {
  setbit: c('setbit', (g) => [
    'SETBIT',
    g.key(S),
    g.chance(0.9) ? String(g.between(0, 300)) : g.pick(['-1', 'abc', '4294967296', '1.5']),
    g.chance(0.92) ? g.pick(['0', '1']) : g.pick(['2', '-1', 'abc']),
  ]),
  getbit: c('getbit', (g) => ['GETBIT', g.key(S), g.chance(0.9) ? String(g.between(0, 400)) : g.pick(['-1', 'abc', '4294967296', '4294967295'])]),
  bitcount: c('bitcount', (g) => {
    const args = ['BITCOUNT', g.key(S)];
    if (g.chance(0.6)) args.push(rankArg(g), rankArg(g), ...bitRangeUnit(g));
    else if (g.chance(0.1)) args.push(rankArg(g));
    return args;
  }),
  bitpos: c('bitpos', (g) => {
    const args = ['BITPOS', g.key(S), g.chance(0.93) ? g.pick(['0', '1']) : g.pick(['2', 'abc'])];
    const r = g.int(4);
    if (r >= 1) args.push(rankArg(g));
    if (r >= 2) args.push(rankArg(g));
    if (r >= 3) args.push(...bitRangeUnit(g));
    return args;
  }),
  bitop: c('bitop', (g) => {
    const op = g.chance(0.95) ? g.pick(['AND', 'OR', 'XOR', 'NOT', 'and']) : g.pick(['NAND', 'DIFF']);
    const srcs = op.toUpperCase() === 'NOT' && g.chance(0.9) ? [g.key(S)] : g.keys(S, 1, 3);
    return ['BITOP', op, g.key(S), ...srcs];
  }),
};

function expireArgs(g: Gen, name: string): string[] {
  const key = g.anyKey();
  let t: string;
  const r = g.float();
  if (r < 0.08) t = g.pick(['abc', '1.5', '', '9223372036854775807', '-9223372036854775808']);
  else if (r < 0.15) t = g.pick(['0', '-1', '-100']);
  else if (name === 'expire') t = String(g.ttlSeconds());
  else if (name === 'pexpire') t = String(g.ttlMillis());
  else if (name === 'expireat') t = String(g.chance(0.85) ? g.atSeconds() : g.pastSeconds());
  else t = String(g.chance(0.85) ? g.atMillis() : g.pastSeconds() * 1000);
  const args = [name.toUpperCase(), key, t];
  if (g.chance(0.4)) args.push(g.pick(['NX', 'XX', 'GT', 'LT', 'nx']));
  if (g.chance(0.04)) args.push(g.pick(['NX', 'XX', 'GT', 'LT', 'FOO']));
  return args;
}

export const GENERIC: Record<string, CommandGen> = {
  del: c('del', (g) => ['DEL', ...Array.from({ length: g.between(1, 3) }, () => g.anyKey())]),
  unlink: c('unlink', (g) => ['UNLINK', ...Array.from({ length: g.between(1, 3) }, () => g.anyKey())]),
  exists: c('exists', (g) => ['EXISTS', ...Array.from({ length: g.between(1, 4) }, () => g.anyKey())]),
  type: c('type', (g) => ['TYPE', g.anyKey()]),
  rename: c('rename', (g) => ['RENAME', g.anyKey(), g.anyKey()]),
  renamenx: c('renamenx', (g) => ['RENAMENX', g.anyKey(), g.anyKey()]),
  copy: c('copy', (g) => {
    const args = ['COPY', g.anyKey(), g.anyKey()];
    if (g.chance(0.2)) args.push('DB', g.chance(0.8) ? g.pick(['0', '1']) : g.pick(['16', '-1', 'abc']));
    if (g.chance(0.4)) args.push('REPLACE');
    if (g.chance(0.03)) args.push('BADOPT');
    return args;
  }),
  expire: c('expire', (g) => expireArgs(g, 'expire')),
  pexpire: c('pexpire', (g) => expireArgs(g, 'pexpire')),
  expireat: c('expireat', (g) => expireArgs(g, 'expireat')),
  pexpireat: c('pexpireat', (g) => expireArgs(g, 'pexpireat')),
  persist: c('persist', (g) => ['PERSIST', g.anyKey()]),
  ttl: c('ttl', (g) => ['TTL', g.anyKey()], TTL_S),
  pttl: c('pttl', (g) => ['PTTL', g.anyKey()], TTL_MS),
  expiretime: c('expiretime', (g) => ['EXPIRETIME', g.anyKey()], TTL_S),
  pexpiretime: c('pexpiretime', (g) => ['PEXPIRETIME', g.anyKey()], TTL_MS),
  keys: c('keys', (g) => ['KEYS', g.pick(['*', 's:*', '*:1', 'k?0', '[sh]:*', 'z:[0-3]', 'nomatch*', '*\\:*', 'h:[^0-2]', '?:?'])], SORTED),
  scan: (g) => scanStep(g, 'scan', ['SCAN', cursor(g), ...scanOptions(g, true)], 1, false),
  randomkey: (g) => pickStep(g, 'randomkey', ['RANDOMKEY'], 'keys', ['KEYS', '*']),
  dbsize: c('dbsize', () => ['DBSIZE']),
  flushdb: (g) => {
    // Mostly the error form: a real flush empties the keyspace, which makes everything after it less interesting.
    if (g.chance(0.25)) return g.cmd('flushdb', ['FLUSHDB', ...(g.chance(0.5) ? [g.pick(['ASYNC', 'SYNC'])] : [])], EXACT, { noMutate: true });
    return g.cmd('flushdb', ['FLUSHDB', g.pick(['FOO', 'ASYNC SYNC', 'x'])], EXACT, { noMutate: true });
  },
  touch: c('touch', (g) => ['TOUCH', ...Array.from({ length: g.between(1, 3) }, () => g.anyKey())]),
  'object|encoding': c('object|encoding', (g) => ['OBJECT', 'ENCODING', g.anyKey()], SHAPE),
  'object|freq': c('object|freq', (g) => ['OBJECT', 'FREQ', g.anyKey()], SHAPE),
  'object|idletime': c('object|idletime', (g) => ['OBJECT', 'IDLETIME', g.anyKey()], SHAPE),
  'object|refcount': c('object|refcount', (g) => ['OBJECT', 'REFCOUNT', g.anyKey()], SHAPE),
  'memory|usage': c('memory|usage', (g) => ['MEMORY', 'USAGE', g.anyKey(), ...(g.chance(0.2) ? ['SAMPLES', g.pick(['0', '5', 'abc'])] : [])], SHAPE),
};

export const HASHES: Record<string, CommandGen> = {
  hset: c('hset', (g) => ['HSET', g.key(H), ...Array.from({ length: g.between(1, 4) }, () => [g.field(), g.value()]).flat(), ...(g.chance(0.04) ? ['odd'] : [])]),
  hsetnx: c('hsetnx', (g) => ['HSETNX', g.key(H), g.field(), g.value()]),
  hget: c('hget', (g) => ['HGET', g.key(H), g.field()]),
  hmget: c('hmget', (g) => ['HMGET', g.key(H), ...g.some([...['f0', 'f1', 'f2', 'f3', 'zz', ''], 'a'], g.between(1, 4))]),
  hmset: c('hmset', (g) => ['HMSET', g.key(H), ...Array.from({ length: g.between(1, 3) }, () => [g.field(), g.value()]).flat(), ...(g.chance(0.04) ? ['odd'] : [])]),
  hdel: c('hdel', (g) => ['HDEL', g.key(H), ...Array.from({ length: g.between(1, 3) }, () => g.field())]),
  hlen: c('hlen', (g) => ['HLEN', g.key(H)]),
  hstrlen: c('hstrlen', (g) => ['HSTRLEN', g.key(H), g.field()]),
  hexists: c('hexists', (g) => ['HEXISTS', g.key(H), g.field()]),
  hkeys: c('hkeys', (g) => ['HKEYS', g.key(H)], SORTED),
  hvals: c('hvals', (g) => ['HVALS', g.key(H)], SORTED),
  hgetall: c('hgetall', (g) => ['HGETALL', g.key(H)], PAIRS),
  hincrby: c('hincrby', (g) => ['HINCRBY', g.key(H), g.field(), g.intArg()]),
  hincrbyfloat: c('hincrbyfloat', (g) => ['HINCRBYFLOAT', g.key(H), g.field(), g.chance(0.05) ? g.pick(['inf', '1e308']) : g.floatArg()]),
  hrandfield: (g) => {
    const key = g.key(H);
    const args = ['HRANDFIELD', key];
    if (g.chance(0.7)) args.push(g.chance(0.9) ? String(g.between(-8, 8)) : g.pick(['abc', '1.5', '-9223372036854775808', '9223372036854775807']));
    if (args.length === 3 && g.chance(0.4)) args.push(g.chance(0.9) ? 'WITHVALUES' : 'WITHSCORES');
    return pickStep(g, 'hrandfield', args, 'hash', ['HGETALL', key]);
  },
  hscan: (g) => scanStep(g, 'hscan', ['HSCAN', g.key(H), cursor(g), ...scanOptions(g, false)], 2, true),
};

export const LISTS: Record<string, CommandGen> = {
  lpush: c('lpush', (g) => ['LPUSH', g.key(L), ...g.some(['a', 'b', 'c', '1', '2', 'x', '', 'hello'], g.between(1, 4))]),
  rpush: c('rpush', (g) => ['RPUSH', g.key(L), ...g.some(['a', 'b', 'c', '1', '2', 'x', '', 'hello'], g.between(1, 4))]),
  lpushx: c('lpushx', (g) => ['LPUSHX', g.key(L), ...g.some(['a', 'b', 'y'], g.between(1, 3))]),
  rpushx: c('rpushx', (g) => ['RPUSHX', g.key(L), ...g.some(['a', 'b', 'y'], g.between(1, 3))]),
  lpop: c('lpop', (g) => ['LPOP', g.key(L), ...(g.chance(0.4) ? [g.smallInt(0, 4, 0.15)] : [])]),
  rpop: c('rpop', (g) => ['RPOP', g.key(L), ...(g.chance(0.4) ? [g.smallInt(0, 4, 0.15)] : [])]),
  llen: c('llen', (g) => ['LLEN', g.key(L)]),
  lrange: c('lrange', (g) => ['LRANGE', g.key(L), rankArg(g), rankArg(g)]),
  lindex: c('lindex', (g) => ['LINDEX', g.key(L), rankArg(g)]),
  lset: c('lset', (g) => ['LSET', g.key(L), rankArg(g), g.elem()]),
  linsert: c('linsert', (g) => ['LINSERT', g.key(L), g.chance(0.95) ? g.pick(['BEFORE', 'AFTER', 'after']) : 'MIDDLE', g.elem(), g.elem()]),
  lrem: c('lrem', (g) => ['LREM', g.key(L), rankArg(g), g.elem()]),
  ltrim: c('ltrim', (g) => ['LTRIM', g.key(L), g.pick(['0', '1', '-1', '2', '-3', '5', 'abc']), g.pick(['-1', '0', '3', '-2', '10', '100'])]),
  lpos: c('lpos', (g) => {
    const args = ['LPOS', g.key(L), g.elem()];
    for (const o of g.shuffle(['RANK', 'COUNT', 'MAXLEN']).slice(0, g.int(4))) {
      if (o === 'RANK') args.push('RANK', g.chance(0.9) ? g.pick(['1', '-1', '2', '-2', '3']) : g.pick(['0', 'abc', '-9223372036854775808']));
      else if (o === 'COUNT') args.push('COUNT', g.chance(0.9) ? g.pick(['0', '1', '2', '5']) : g.pick(['-1', 'abc']));
      else args.push('MAXLEN', g.chance(0.9) ? g.pick(['0', '1', '3', '10']) : g.pick(['-1', 'abc']));
    }
    if (g.chance(0.03)) args.push('BADOPT');
    return args;
  }),
  lmove: c('lmove', (g) => ['LMOVE', g.key(L), g.key(L), direction(g), direction(g)]),
  lmpop: c('lmpop', (g) => ['LMPOP', ...numkeys(g, L, 1, 3), direction(g), ...countOpt(g)]),
  rpoplpush: c('rpoplpush', (g) => ['RPOPLPUSH', g.key(L), g.key(L)]),
  blpop: blocking('blpop', (g) => ['BLPOP', ...g.keys(L, 1, 3), blockTimeout(g)]),
  brpop: blocking('brpop', (g) => ['BRPOP', ...g.keys(L, 1, 3), blockTimeout(g)]),
  blmove: blocking('blmove', (g) => ['BLMOVE', g.key(L), g.key(L), direction(g), direction(g), blockTimeout(g)]),
  blmpop: blocking('blmpop', (g) => ['BLMPOP', blockTimeout(g), ...numkeys(g, L, 1, 3), direction(g), ...countOpt(g)]),
  brpoplpush: blocking('brpoplpush', (g) => ['BRPOPLPUSH', g.key(L), g.key(L), blockTimeout(g)]),
};

function setMembers(g: Gen, min: number, max: number): string[] {
  // Integers now and then keep small sets in the intset encoding.
  if (g.chance(0.25)) return Array.from({ length: g.between(min, max) }, () => String(g.between(-3, 12)));
  return g.some(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'a', 'b', '1', '2', '', 'x y'], g.between(min, max));
}

export const SETS: Record<string, CommandGen> = {
  sadd: c('sadd', (g) => ['SADD', g.key(SET), ...setMembers(g, 1, 5)]),
  srem: c('srem', (g) => ['SREM', g.key(SET), ...setMembers(g, 1, 3)]),
  smembers: c('smembers', (g) => ['SMEMBERS', g.key(SET)], SORTED),
  sismember: c('sismember', (g) => ['SISMEMBER', g.key(SET), ...setMembers(g, 1, 1)]),
  smismember: c('smismember', (g) => ['SMISMEMBER', g.key(SET), ...setMembers(g, 1, 4)]),
  scard: c('scard', (g) => ['SCARD', g.key(SET)]),
  spop: (g) => {
    const key = g.key(SET);
    const args = ['SPOP', key];
    if (g.chance(0.6)) args.push(g.chance(0.9) ? String(g.between(0, 4)) : g.pick(['-1', 'abc', '1.5']));
    return pickStep(g, 'spop', args, 'set', ['SMEMBERS', key], true);
  },
  srandmember: (g) => {
    const key = g.key(SET);
    const args = ['SRANDMEMBER', key];
    if (g.chance(0.7)) args.push(g.chance(0.9) ? String(g.between(-8, 8)) : g.pick(['abc', '1.5', '-9223372036854775808', '9223372036854775807']));
    return pickStep(g, 'srandmember', args, 'set', ['SMEMBERS', key]);
  },
  smove: c('smove', (g) => ['SMOVE', g.key(SET), g.key(SET), ...setMembers(g, 1, 1)]),
  sinter: c('sinter', (g) => ['SINTER', ...g.keys(SET, 1, 3)], SORTED),
  sintercard: c('sintercard', (g) => ['SINTERCARD', ...numkeys(g, SET, 1, 3), ...(g.chance(0.4) ? ['LIMIT', g.chance(0.9) ? g.pick(['0', '1', '2', '5']) : g.pick(['-1', 'abc'])] : [])]),
  sinterstore: c('sinterstore', (g) => ['SINTERSTORE', g.key(SET), ...g.keys(SET, 1, 3)]),
  sunion: c('sunion', (g) => ['SUNION', ...g.keys(SET, 1, 3)], SORTED),
  sunionstore: c('sunionstore', (g) => ['SUNIONSTORE', g.key(SET), ...g.keys(SET, 1, 3)]),
  sdiff: c('sdiff', (g) => ['SDIFF', ...g.keys(SET, 1, 3)], SORTED),
  sdiffstore: c('sdiffstore', (g) => ['SDIFFSTORE', g.key(SET), ...g.keys(SET, 1, 3)]),
  sscan: (g) => scanStep(g, 'sscan', ['SSCAN', g.key(SET), cursor(g), ...scanOptions(g, false)], 2, false),
};

function zaddPairs(g: Gen, min: number, max: number): string[] {
  const lex = g.chance(0.3);
  return Array.from({ length: g.between(min, max) }, () => [lex ? '0' : g.floatArg(0.95), g.member()]).flat();
}
function withScores(g: Gen, p = 0.4): string[] {
  return g.chance(p) ? ['WITHSCORES'] : [];
}
function limit(g: Gen, p = 0.3): string[] {
  if (!g.chance(p)) return [];
  return ['LIMIT', g.pick(['0', '1', '2', '-1', 'abc']), g.pick(['1', '2', '5', '-1', '0', 'abc'])];
}
/** ZUNION/ZINTER options: WEIGHTS, AGGREGATE, WITHSCORES. */
function zsetOpOptions(g: Gen, nkeys: number, withscores: boolean): string[] {
  const out: string[] = [];
  if (g.chance(0.3)) out.push('WEIGHTS', ...Array.from({ length: g.chance(0.9) ? nkeys : nkeys + 1 }, () => g.floatArg(0.9)));
  if (g.chance(0.3)) out.push('AGGREGATE', g.chance(0.9) ? g.pick(['SUM', 'MIN', 'MAX']) : 'AVG');
  if (withscores && g.chance(0.4)) out.push('WITHSCORES');
  return out;
}
function zrangeArgs(g: Gen): string[] {
  const mode = g.int(4);
  if (mode === 0) return [rankArg(g), rankArg(g), ...(g.chance(0.3) ? ['REV'] : []), ...withScores(g), ...(g.chance(0.05) ? limit(g, 1) : [])];
  if (mode === 1) return [scoreRange(g), scoreRange(g), 'BYSCORE', ...(g.chance(0.3) ? ['REV'] : []), ...limit(g), ...withScores(g)];
  if (mode === 2) return [lexRange(g), lexRange(g), 'BYLEX', ...(g.chance(0.3) ? ['REV'] : []), ...limit(g), ...(g.chance(0.05) ? ['WITHSCORES'] : [])];
  return [scoreRange(g), scoreRange(g), g.pick(['BYSCORE', 'BYLEX', 'REV', 'LIMIT', 'BYFOO'])];
}

export const ZSETS: Record<string, CommandGen> = {
  zadd: c('zadd', (g) => {
    const opts = g.shuffle(['NX', 'XX', 'GT', 'LT', 'CH', 'INCR']).slice(0, g.chance(0.5) ? 0 : g.int(3));
    const pairs = opts.includes('INCR') && g.chance(0.8) ? zaddPairs(g, 1, 1) : zaddPairs(g, 1, 4);
    return ['ZADD', g.key(Z), ...opts, ...pairs, ...(g.chance(0.03) ? ['odd'] : [])];
  }),
  zincrby: c('zincrby', (g) => ['ZINCRBY', g.key(Z), g.floatArg(), g.member()]),
  zrem: c('zrem', (g) => ['ZREM', g.key(Z), ...g.some(MEMBERS_SMALL, g.between(1, 3))]),
  zcard: c('zcard', (g) => ['ZCARD', g.key(Z)]),
  zscore: c('zscore', (g) => ['ZSCORE', g.key(Z), g.member()]),
  zmscore: c('zmscore', (g) => ['ZMSCORE', g.key(Z), ...g.some(MEMBERS_SMALL, g.between(1, 4))]),
  zrank: c('zrank', (g) => ['ZRANK', g.key(Z), g.member()]),
  zrevrank: c('zrevrank', (g) => ['ZREVRANK', g.key(Z), g.member()]),
  zcount: c('zcount', (g) => ['ZCOUNT', g.key(Z), scoreRange(g), scoreRange(g)]),
  zlexcount: c('zlexcount', (g) => ['ZLEXCOUNT', g.key(Z), lexRange(g), lexRange(g)]),
  zrange: c('zrange', (g) => ['ZRANGE', g.key(Z), ...zrangeArgs(g)]),
  zrangebyscore: c('zrangebyscore', (g) => ['ZRANGEBYSCORE', g.key(Z), scoreRange(g), scoreRange(g), ...g.shuffle([withScores(g), limit(g)]).flat()]),
  zrevrangebyscore: c('zrevrangebyscore', (g) => ['ZREVRANGEBYSCORE', g.key(Z), scoreRange(g), scoreRange(g), ...g.shuffle([withScores(g), limit(g)]).flat()]),
  zrangebylex: c('zrangebylex', (g) => ['ZRANGEBYLEX', g.key(Z), lexRange(g), lexRange(g), ...limit(g)]),
  zrevrangebylex: c('zrevrangebylex', (g) => ['ZREVRANGEBYLEX', g.key(Z), lexRange(g), lexRange(g), ...limit(g)]),
  zrevrange: c('zrevrange', (g) => ['ZREVRANGE', g.key(Z), rankArg(g), rankArg(g), ...withScores(g)]),
  zrangestore: c('zrangestore', (g) => ['ZRANGESTORE', g.key(Z), g.key(Z), ...zrangeArgs(g).filter((a) => a !== 'WITHSCORES')]),
  zremrangebyrank: c('zremrangebyrank', (g) => ['ZREMRANGEBYRANK', g.key(Z), rankArg(g), rankArg(g)]),
  zremrangebyscore: c('zremrangebyscore', (g) => ['ZREMRANGEBYSCORE', g.key(Z), scoreRange(g), scoreRange(g)]),
  zremrangebylex: c('zremrangebylex', (g) => ['ZREMRANGEBYLEX', g.key(Z), lexRange(g), lexRange(g)]),
  zunion: c('zunion', (g) => {
    const nk = numkeys(g, Z, 1, 3);
    return ['ZUNION', ...nk, ...zsetOpOptions(g, nk.length - 1, true)];
  }),
  zinter: c('zinter', (g) => {
    const nk = numkeys(g, Z, 1, 3);
    return ['ZINTER', ...nk, ...zsetOpOptions(g, nk.length - 1, true)];
  }),
  zdiff: c('zdiff', (g) => ['ZDIFF', ...numkeys(g, Z, 1, 3), ...withScores(g)]),
  zunionstore: c('zunionstore', (g) => {
    const nk = numkeys(g, Z, 1, 3);
    return ['ZUNIONSTORE', g.key(Z), ...nk, ...zsetOpOptions(g, nk.length - 1, false)];
  }),
  zinterstore: c('zinterstore', (g) => {
    const nk = numkeys(g, Z, 1, 3);
    return ['ZINTERSTORE', g.key(Z), ...nk, ...zsetOpOptions(g, nk.length - 1, false)];
  }),
  zdiffstore: c('zdiffstore', (g) => ['ZDIFFSTORE', g.key(Z), ...numkeys(g, Z, 1, 3)]),
  zintercard: c('zintercard', (g) => ['ZINTERCARD', ...numkeys(g, Z, 1, 3), ...(g.chance(0.4) ? ['LIMIT', g.chance(0.9) ? g.pick(['0', '1', '3']) : g.pick(['-1', 'abc'])] : [])]),
  zpopmin: c('zpopmin', (g) => ['ZPOPMIN', g.key(Z), ...(g.chance(0.4) ? [g.smallInt(0, 4, 0.15)] : [])]),
  zpopmax: c('zpopmax', (g) => ['ZPOPMAX', g.key(Z), ...(g.chance(0.4) ? [g.smallInt(0, 4, 0.15)] : [])]),
  zmpop: c('zmpop', (g) => ['ZMPOP', ...numkeys(g, Z, 1, 3), minmax(g), ...countOpt(g)]),
  bzpopmin: blocking('bzpopmin', (g) => ['BZPOPMIN', ...g.keys(Z, 1, 3), blockTimeout(g)]),
  bzpopmax: blocking('bzpopmax', (g) => ['BZPOPMAX', ...g.keys(Z, 1, 3), blockTimeout(g)]),
  bzmpop: blocking('bzmpop', (g) => ['BZMPOP', blockTimeout(g), ...numkeys(g, Z, 1, 3), minmax(g), ...countOpt(g)]),
  zrandmember: (g) => {
    const key = g.key(Z);
    const args = ['ZRANDMEMBER', key];
    if (g.chance(0.7)) args.push(g.chance(0.9) ? String(g.between(-8, 8)) : g.pick(['abc', '1.5', '-9223372036854775808', '9223372036854775807']));
    if (args.length === 3 && g.chance(0.4)) args.push(g.chance(0.9) ? 'WITHSCORES' : 'WITHVALUES');
    return pickStep(g, 'zrandmember', args, 'zset', ['ZRANGE', key, '0', '-1', 'WITHSCORES']);
  },
  zscan: (g) => scanStep(g, 'zscan', ['ZSCAN', g.key(Z), cursor(g), ...scanOptions(g, false)], 2, true),
};

const MEMBERS_SMALL = ['m0', 'm1', 'm2', 'm3', 'm4', 'a', 'b', '1', 'nope'] as const;

export const SERVER: Record<string, CommandGen> = {
  ping: c('ping', (g) => ['PING', ...(g.chance(0.4) ? [g.value()] : [])]),
  echo: c('echo', (g) => ['ECHO', g.value()]),
  select: (g) => g.cmd('select', ['SELECT', g.chance(0.9) ? g.pick(['0', '0', '0', '1']) : g.pick(['16', '-1', 'abc', '1.5'])]),
  time: c('time', () => ['TIME'], TIME),
  'config|get': c('config|get', (g) => [
    'CONFIG',
    'GET',
    ...g.some(['maxmemory', 'maxmemory-policy', 'hash-max-listpack-entries', 'hash-max-ziplist-entries', 'set-max-intset-entries', 'zset-max-listpack-value', 'list-max-listpack-size', 'timeout', 'databases', 'maxmemory*', 'nosuchconfig', 'lfu-log-factor', 'notify-keyspace-events'], g.between(1, 2)),
  ], PAIRS),
  'client|setname': c('client|setname', (g) => ['CLIENT', 'SETNAME', g.pick(['diff', 'conn-1', '', 'has space', 'x\ny', 'ok_name'])]),
  'client|getname': c('client|getname', () => ['CLIENT', 'GETNAME']),
  publish: c('publish', (g) => ['PUBLISH', g.pick(['ch1', 'ch2', 'news.x']), g.value()]),
  'pubsub|numsub': c('pubsub|numsub', (g) => ['PUBSUB', 'NUMSUB', ...g.some(['ch1', 'ch2', 'x'], g.int(3))]),
  'pubsub|channels': c('pubsub|channels', (g) => ['PUBSUB', 'CHANNELS', ...(g.chance(0.5) ? ['ch*'] : [])], SORTED),
  'pubsub|numpat': c('pubsub|numpat', () => ['PUBSUB', 'NUMPAT']),
  info: c('info', (g) => ['INFO', ...(g.chance(0.7) ? [g.pick(['keyspace', 'server', 'clients', 'memory', 'stats', 'nosuchsection', 'default'])] : [])], INFO),
  unknown: (g) => g.cmd('unknown', [g.pick(['FOOBAR', 'GETT', 'xyzzy', 'SETT']), ...g.some(['a', 'b', '1'], g.int(3))], EXACT, { noMutate: true }),
  'object|unknown': (g) => g.cmd('object|unknown', [g.pick(['OBJECT', 'CONFIG', 'CLIENT', 'PUBSUB', 'MEMORY']), g.pick(['FOO', 'NOPE']), 'x'], EXACT, { noMutate: true }),
};

/** Commands that may run inside MULTI: plain, order-independent or exactly-compared ones. */
function queuedCommand(g: Gen, table: Record<string, CommandGen>, names: readonly string[]): Cmd {
  for (;;) {
    const name = g.pick(names);
    if (g.skip.has(name)) continue;
    const step = table[name]!(g);
    if (step.t === 'cmd') return step.cmd;
  }
}

/** Transactions: each generator emits a whole MULTI ... EXEC/DISCARD group, closed on every path. */
export function transactionCommands(queueable: Record<string, CommandGen>): Record<string, CommandGen> {
  const names = Object.keys(queueable);
  const plain = (g: Gen, name: string, args: string[]): Cmd => ({ name, args: [g.caseOf(args[0]!), ...args.slice(1)], check: EXACT });
  const queued = (g: Gen, max: number): Cmd[] => {
    const out: Cmd[] = [];
    const n = g.between(0, max);
    for (let i = 0; i < n; i++) {
      const r = g.float();
      if (r < 0.03) out.push(plain(g, 'multi', ['MULTI']));
      else if (r < 0.05) out.push(plain(g, 'watch', ['WATCH', g.anyKey()]));
      // A command rejected while queueing (unknown name) makes EXEC fail with EXECABORT.
      else if (r < 0.07) out.push(plain(g, 'unknown', [g.pick(['FOOBAR', 'GETT']), 'a']));
      else out.push(queuedCommand(g, queueable, names));
    }
    return out;
  };
  const watchPrefix = (g: Gen): Cmd[] => {
    const keys = Array.from({ length: g.between(1, 2) }, () => g.anyKey());
    const out: Cmd[] = [plain(g, 'watch', ['WATCH', ...keys])];
    // Touch a watched key (or not) from the same connection: that also aborts EXEC in Redis.
    if (g.chance(0.5)) out.push(queuedCommand(g, queueable, names));
    return out;
  };
  return {
    multi: (g) => ({ t: 'group', cmds: [plain(g, 'multi', ['MULTI']), ...queued(g, 5), plain(g, 'exec', ['EXEC'])] }),
    exec: (g) => {
      if (g.chance(0.3)) return g.cmd('exec', ['EXEC', ...(g.chance(0.3) ? ['x'] : [])], EXACT, { noMutate: true });
      return { t: 'group', cmds: [plain(g, 'multi', ['MULTI']), ...queued(g, 3), plain(g, 'exec', ['EXEC'])] };
    },
    discard: (g) => {
      if (g.chance(0.3)) return g.cmd('discard', ['DISCARD'], EXACT, { noMutate: true });
      return { t: 'group', cmds: [plain(g, 'multi', ['MULTI']), ...queued(g, 3), plain(g, 'discard', ['DISCARD'])] };
    },
    watch: (g) => ({ t: 'group', cmds: [...watchPrefix(g), plain(g, 'multi', ['MULTI']), ...queued(g, 3), plain(g, 'exec', ['EXEC'])] }),
    unwatch: (g) => {
      if (g.chance(0.4)) return g.cmd('unwatch', ['UNWATCH'], EXACT, { noMutate: true });
      return {
        t: 'group',
        cmds: [...watchPrefix(g), plain(g, 'unwatch', ['UNWATCH']), plain(g, 'multi', ['MULTI']), ...queued(g, 2), plain(g, 'exec', ['EXEC'])],
      };
    },
  };
}

const DATA: Record<string, CommandGen> = { ...STRINGS, ...BITMAPS, ...GENERIC, ...HASHES, ...LISTS, ...SETS, ...ZSETS };
const QUEUEABLE: Record<string, CommandGen> = Object.fromEntries(
  Object.entries({ ...DATA, ...SERVER }).filter(([n]) => n !== 'flushdb' && n !== 'unknown' && n !== 'object|unknown'),
);

/**
 * Wrong arity for every command: the bare name (or container + subcommand) of a random command of the table.
 * FLUSHDB, MULTI and the transaction groups are left out.
 */
const VALID_BARE = new Set(['randomkey', 'info', 'time', 'dbsize', 'ping', 'client|getname', 'pubsub|numpat', 'pubsub|channels', 'pubsub|numsub']);

function arityCommand(g: Gen): Step {
  // Commands whose bare form is valid are left out: their replies need their own check (RANDOMKEY, INFO, TIME).
  const names = Object.keys(QUEUEABLE).filter((n) => !g.skip.has(n) && !VALID_BARE.has(n));
  const name = g.pick(names);
  const bare = name.split('|').map((p) => p.toUpperCase());
  bare[0] = g.caseOf(bare[0]!);
  const blockingCmd = LISTS[name] !== undefined && name.startsWith('b') || (ZSETS[name] !== undefined && name.startsWith('bz'));
  return g.cmd('arity', bare, EXACT, { noMutate: true, sync: blockingCmd });
}

/** Every command of the table, by coverage name. */
export const TABLE: Readonly<Record<string, CommandGen>> = { ...DATA, ...SERVER, ...transactionCommands(QUEUEABLE), arity: arityCommand };

