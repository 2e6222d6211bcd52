// A command is data: its name, arity, flags and key positions are declared
// once, and dispatch (arity errors), COMMAND INFO/DOCS/GETKEYS, OOM checks,
// MULTI rules and (in cluster mode) slot routing all read them from here.

import type { Session } from './session.js';

/** Redis 7.0 command flags, spelled as COMMAND INFO spells them. */
export type CommandFlag =
  | 'write'
  | 'readonly'
  | 'denyoom'
  | 'module'
  | 'admin'
  | 'pubsub'
  | 'noscript'
  | 'blocking'
  | 'loading'
  | 'stale'
  | 'skip_monitor'
  | 'skip_slowlog'
  | 'asking'
  | 'fast'
  | 'no_auth'
  | 'may_replicate'
  | 'no_mandatory_keys'
  | 'no_async_loading'
  | 'no_multi'
  | 'movablekeys'
  | 'allow_busy';

/** Command groups as COMMAND DOCS names them; also give the ACL category. */
export type CommandGroup =
  | 'generic'
  | 'string'
  | 'list'
  | 'set'
  | 'sorted-set'
  | 'hash'
  | 'pubsub'
  | 'transactions'
  | 'connection'
  | 'server'
  | 'scripting'
  | 'hyperloglog'
  | 'cluster'
  | 'geo'
  | 'stream'
  | 'bitmap';

/**
 * Where the keys are: Redis's legacy (first, last, step) triple, with last
 * negative counting from the end (-1 = last argument). `first: 0` means no keys.
 * `find` overrides it for commands whose keys move (EVAL's numkeys, ZUNION's
 * numkeys, XREAD's STREAMS, MIGRATE's KEYS): it returns argument indices.
 */
export interface KeyPositions {
  readonly first: number;
  readonly last: number;
  readonly step: number;
  readonly find?: (args: readonly string[]) => number[];
}

export const NO_KEYS: KeyPositions = { first: 0, last: 0, step: 0 };

export type CommandRun = (s: Session, args: string[]) => void;

export interface CommandSpec {
  /** Lowercase name; for a subcommand, just the subcommand ("get" of CONFIG GET). */
  readonly name: string;
  /** Positive: exact argument count (name included); negative: at least -arity. */
  readonly arity: number;
  readonly flags: readonly CommandFlag[];
  readonly group: CommandGroup;
  readonly keys: KeyPositions;
  /** Extra ACL categories beyond those implied by group and flags (e.g. '@slow'). */
  readonly acl?: readonly string[];
  readonly summary?: string;
  /** Redis version that introduced it (COMMAND DOCS `since`). */
  readonly since?: string;
  readonly complexity?: string;
  /** Command tips as COMMAND INFO lists them (e.g. 'nondeterministic_output', 'request_policy:all_shards'). */
  readonly tips?: readonly string[];
  /** Container commands (CONFIG, CLIENT, OBJECT...) dispatch on args[1]. */
  readonly subcommands?: readonly CommandSpec[];
  /** Absent only on containers. */
  readonly run?: CommandRun;
}

/** Key argument indices of args for spec (first/last/step or find). */
export function keyIndices(spec: CommandSpec, args: readonly string[]): number[] {
  const k = spec.keys;
  if (k.find) return k.find(args);
  const out: number[] = [];
  for (let i = k.first, last = lastKeyIndex(spec, args); i <= last; i += k.step || 1) out.push(i);
  return out;
}

/**
 * Appends the key arguments of args to `out` (no index array: the cluster
 * gate runs this for every command); false if there are none.
 */
export function appendKeyArgs(spec: CommandSpec, args: readonly string[], out: string[]): boolean {
  const k = spec.keys;
  const before = out.length;
  if (k.find) {
    for (const i of k.find(args)) out.push(args[i]!);
  } else {
    for (let i = k.first, last = lastKeyIndex(spec, args); i <= last; i += k.step || 1) out.push(args[i]!);
  }
  return out.length > before;
}

/** The last key index of a first/last/step spec within args; below `first` when there is none. */
function lastKeyIndex(spec: CommandSpec, args: readonly string[]): number {
  const k = spec.keys;
  if (k.first === 0) return -1;
  const last = k.last < 0 ? args.length + k.last : k.last;
  return Math.min(last, args.length - 1);
}

export function hasFlag(spec: CommandSpec, flag: CommandFlag): boolean {
  return spec.flags.includes(flag);
}
