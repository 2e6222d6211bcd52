// The building blocks of the generated sequence: steps (what the runner sends
// and how it compares the replies) and Gen, the seeded source of keys,
// members, numbers and malformed arguments the per-command generators draw
// from. Everything here is pure and depends only on the seed, so a sequence
// is replayed exactly from its seed and count.

import { EXACT, type Check } from './normalise.js';
import type { PickSpec } from './picks.js';

/** One command as generated: `name` is the coverage name (lowercase, `container|sub` for subcommands). */
export interface Cmd {
  readonly name: string;
  readonly args: string[];
  readonly check: Check;
}

export type Step =
  /** A command whose replies are compared under its check. `sync`: sent on its own (blocking commands with a timeout). */
  | { readonly t: 'cmd'; readonly cmd: Cmd; readonly sync: boolean }
  /** A random pick, preceded (in the same pipeline) by `probe`, which reads the container it picks from. */
  | { readonly t: 'pick'; readonly cmd: Cmd; readonly probe: string[]; readonly pick: PickSpec; readonly key: string }
  /** SCAN-like: iterated to completion on each server (`cursorAt` is the cursor's argument index); results compared as sets. */
  | { readonly t: 'scan'; readonly cmd: Cmd; readonly cursorAt: number; readonly pairs: boolean }
  /** A transaction: MULTI, queued commands, EXEC/DISCARD (and WATCH around it), pipelined together on one connection. */
  | { readonly t: 'group'; readonly cmds: Cmd[] };

export type KeyType = 'string' | 'hash' | 'list' | 'set' | 'zset';

const POOL_PREFIX: Record<KeyType, string> = { string: 's', hash: 'h', list: 'l', set: 'S', zset: 'z' };
const KEYS_PER_TYPE = 8;
const SHARED_KEYS = 5;

export const INT_VALID = ['0', '1', '-1', '2', '5', '-5', '17', '100', '-100', '123456789', '9223372036854775807', '-9223372036854775808'] as const;
export const INT_INVALID = ['abc', '1.5', '', '9223372036854775808', '-9223372036854775809', ' 1', '1 ', '+1', '007', '-0', '0x10', '1e3'] as const;
export const FLOAT_VALID = ['0', '1', '-1', '1.5', '-2.25', '1e3', '1E-2', '.5', '5.', '+3', '3.0', '0.1', '1e300', '-1e300', '10', '2', '-0'] as const;
export const FLOAT_INVALID = ['abc', '', 'nan', '1.5.5', ' 1', '1 ', '1e400', '--1', '0x'] as const;
export const STRING_VALUES = [
  'v', 'hello', 'world', '', '0', '1', '-1', '42', '10', '9223372036854775807', '-9223372036854775808', '9223372036854775806',
  '3.14', '1e3', ' 5', '007', 'abc', '\x00\xff\x80bin', 'x'.repeat(70), 'hello world', '-0', '1.5', '0x10',
] as const;
export const MEMBERS = ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'a', 'b', 'c', '1', '2', '10', '-3', '', 'x y', '\xff'] as const;
export const FIELDS = ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'a', 'b', '', 'f y', '1'] as const;
export const LIST_ELEMS = ['a', 'b', 'c', 'd', '1', '2', '10', 'x', '', 'hello', '-1'] as const;

export class Gen {
  private expirySeq = 0;
  private readonly expiryOffset: number;

  constructor(
    private readonly rnd: () => number,
    /** Coverage names not to generate (see sequence.generate). */
    readonly skip: ReadonlySet<string> = new Set(),
  ) {
    this.expiryOffset = this.int(10000);
  }

  float(): number {
    return this.rnd();
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  pick<T>(xs: readonly T[]): T {
    if (xs.length === 0) throw new Error('pick from an empty list');
    return xs[this.int(xs.length)]!;
  }
  /** Picks `n` elements (with repetitions). */
  some<T>(xs: readonly T[], n: number): T[] {
    return Array.from({ length: n }, () => this.pick(xs));
  }
  shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    return xs;
  }

  /** A key of the type's pool, sometimes a shared name (WRONGTYPE paths) or another type's key. */
  key(type: KeyType): string {
    const r = this.rnd();
    if (r < 0.78) return `${POOL_PREFIX[type]}:${this.int(KEYS_PER_TYPE)}`;
    if (r < 0.95) return `k:${this.int(SHARED_KEYS)}`;
    return this.anyKey();
  }
  anyKey(): string {
    if (this.chance(0.1)) return `none:${this.int(3)}`;
    if (this.chance(0.2)) return `k:${this.int(SHARED_KEYS)}`;
    const t = this.pick(['string', 'hash', 'list', 'set', 'zset'] as const);
    return `${POOL_PREFIX[t]}:${this.int(KEYS_PER_TYPE)}`;
  }
  keys(type: KeyType, min: number, max: number): string[] {
    return Array.from({ length: this.between(min, max) }, () => this.key(type));
  }

  intArg(pValid = 0.85): string {
    return this.chance(pValid) ? this.pick(INT_VALID) : this.pick(INT_INVALID);
  }
  smallInt(lo: number, hi: number, pInvalid = 0.05): string {
    return this.chance(pInvalid) ? this.pick(INT_INVALID) : String(this.between(lo, hi));
  }
  floatArg(pValid = 0.88): string {
    if (!this.chance(pValid)) return this.pick(FLOAT_INVALID);
    return this.chance(0.06) ? this.pick(['inf', '-inf', '+inf']) : this.pick(FLOAT_VALID);
  }
  value(): string {
    if (this.chance(0.15)) return `v${this.int(50)}`;
    return this.pick(STRING_VALUES);
  }
  member(): string {
    return this.pick(MEMBERS);
  }
  field(): string {
    return this.pick(FIELDS);
  }
  elem(): string {
    return this.pick(LIST_ELEMS);
  }

  /**
   * Relative expiry seconds, distinct across the whole run and at least 200 s
   * apart: two servers that see the same commands a few ms apart then agree
   * on every NX/XX/GT/LT comparison, and no key expires during the run.
   */
  ttlSeconds(): number {
    const slot = (this.expiryOffset + this.expirySeq++ * 7919) % 10000;
    return 1000 + 200 * slot;
  }
  ttlMillis(): number {
    return this.ttlSeconds() * 1000 + this.int(1000);
  }
  /** Absolute far-future unix seconds (after 2100), distinct like ttlSeconds. */
  atSeconds(): number {
    return 4102444800 + this.ttlSeconds();
  }
  atMillis(): number {
    return this.atSeconds() * 1000 + this.int(1000);
  }
  /** An absolute time already past: the key is deleted at once. */
  pastSeconds(): number {
    return this.pick([1, 1000000000, 1600000000]);
  }

  /** Randomises the letter case of a command name. */
  caseOf(name: string): string {
    if (!this.chance(0.1)) return name.toUpperCase();
    return [...name].map((c) => (this.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join('');
  }

  /**
   * A command step. Sometimes the form is mangled (arguments cut short, an
   * extra argument, odd letter case) so arity and syntax errors are covered
   * for every command.
   */
  cmd(name: string, args: string[], check: Check = EXACT, opts: { noMutate?: boolean; sync?: boolean } = {}): Step {
    return { t: 'cmd', cmd: this.mutate(name, args, check, opts), sync: opts.sync ?? false };
  }

  mutate(name: string, args: string[], check: Check, opts: { noMutate?: boolean; sync?: boolean } = {}): Cmd {
    let out = [...args];
    out[0] = this.caseOf(out[0]!);
    if (!opts.noMutate) {
      const r = this.rnd();
      if (r < 0.03 && out.length > 1) out = out.slice(0, this.between(1, out.length - 1));
      // An extra argument never goes on blocking commands (it could turn into a zero timeout) and is never a number
      // (`SET k v EX` + `1` would make a 1 s TTL, which would expire during the run).
      else if (r < 0.05 && !opts.sync) out.push(this.pick(['x', 'NX', 'WITHSCORES', 'COUNT']));
    }
    return { name, args: out, check };
  }
}
