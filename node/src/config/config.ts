// Config holds the current value of every directive as the string CONFIG GET
// shows, validates changes against the table with redis-server 7.0's rules
// and words, and tells listeners what changed. CONFIG SET of several pairs is
// all-or-nothing: every value is parsed before any is stored. Hot-path values
// (requirepass, maxmemory, notify-keyspace-events) are cached as fields.

import { globMatch } from '../core/glob.js';
import { DIRECTIVES, type Directive } from './table.js';
import { NOTIFY_INVALID, notifyFlagsToString, parseNotifyFlags } from './notify-flags.js';

export type ConfigListener = (name: string, value: string) => void;

/** Side effects the config cannot do itself (kept out so tests stay pure). */
export interface ConfigEffects {
  /** Changes the working directory; returns Redis's reason (strerror) or null. */
  chdir?(path: string): string | null;
  /** The working directory (what CONFIG GET dir shows). */
  cwd?(): string;
}

const TWO_64 = 1n << 64n;
const TWO_63 = 1n << 63n;
const ULLONG_MAX = TWO_64 - 1n;

/** Directives whose CONFIG SET value is split on spaces into several arguments. */
function isMultiArg(d: Directive): boolean {
  return d.type === 'flags' || (d.type === 'special' && d.name !== 'notify-keyspace-events' && d.name !== 'dir');
}

/** Redis's string2ll acceptance: optional '-', digits, no leading zeros, no '+'. */
function strictInt(s: string): bigint | null {
  if (!/^-?(0|[1-9][0-9]*)$/.test(s) || s === '-0') return null;
  const v = BigInt(s);
  return v >= -TWO_63 && v < TWO_63 ? v : null;
}

/** C strtoll with a full-string check: leading blanks and a sign allowed. */
function strtollFull(s: string): bigint | null {
  const m = /^[ \t\n\v\f\r]*([+-]?[0-9]+)$/.exec(s);
  if (!m) return null;
  let v = BigInt(m[1]!);
  if (v >= TWO_63) v = TWO_63 - 1n;
  if (v < -TWO_63) v = -TWO_63;
  return v;
}

/** Redis's memtoull: digits with an optional b/k/kb/m/mb/g/gb unit; k = 1000, kb = 1024. */
export function parseMemory(s: string): bigint | null {
  const m = /^([0-9]*)(b|k|kb|m|mb|g|gb)?$/i.exec(s);
  if (!m) return null;
  const unit = (m[2] ?? 'b').toLowerCase();
  const mul: Record<string, bigint> = { b: 1n, k: 1000n, kb: 1024n, m: 1000000n, mb: 1048576n, g: 1000000000n, gb: 1073741824n };
  const digits = m[1] === '' ? 0n : BigInt(m[1]!);
  const v = digits * mul[unit]!;
  // strtoull saturates on overflow.
  return v > ULLONG_MAX ? ULLONG_MAX : v;
}

/** The byte count with the largest exact unit, as CONFIG REWRITE writes it. */
export function formatMemory(bytes: bigint): string {
  const gb = 1073741824n;
  const mb = 1048576n;
  const kb = 1024n;
  if (bytes !== 0n && bytes % gb === 0n) return `${bytes / gb}gb`;
  if (bytes !== 0n && bytes % mb === 0n) return `${bytes / mb}mb`;
  if (bytes !== 0n && bytes % kb === 0n) return `${bytes / kb}kb`;
  return String(bytes);
}

type Parsed = { value: string } | { error: string };

const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;

export class Config {
  private readonly values = new Map<string, string>();
  private readonly byName = new Map<string, Directive>();
  private readonly listeners: ConfigListener[] = [];
  private cachedRequirepass = '';
  /**
   * Switches read on every command (cluster routing, sync replication): a
   * getBool is two Map lookups, about 2% of a routed command's CPU.
   */
  private cachedBools = { allowReadsWhenDown: false, allowPubSubShardWhenDown: false, syncReplication: false };
  private cachedMaxmemory = 0;
  private notifyBits = 0;
  private parsedNotifyFlags: number | null = null;
  /** While a config file is read, `save` lines add to each other (Redis's deprecated aggregate form). */
  private loadingFile = false;
  private saveLoaded = false;
  /** Canonical names given in the file or on the command line. */
  readonly explicit = new Set<string>();
  /** rename-command, user, loadmodule, module-config and sentinel lines, stored as given. */
  readonly storedLines: string[][] = [];

  constructor(private readonly effects: ConfigEffects = {}) {
    for (const d of DIRECTIVES) {
      this.byName.set(d.name, d);
      for (const a of d.aliases ?? []) this.byName.set(a, d);
      this.values.set(d.name, d.default);
    }
    if (effects.cwd) this.values.set('dir', effects.cwd());
    this.refreshCache();
  }

  directive(name: string): Directive | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): readonly Directive[] {
    return DIRECTIVES;
  }

  get(name: string): string | undefined {
    const d = this.directive(name);
    return d ? this.values.get(d.name) : undefined;
  }

  getNumber(name: string): number {
    return Number(this.get(name) ?? 0);
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Sets one directive at start or in tests (mutability is not checked); returns an error reason or null. */
  set(name: string, value: string): string | null {
    const d = this.directive(name);
    if (!d) return 'Bad directive or wrong number of arguments';
    const parsed = this.parse(d, isMultiArg(d) ? value.split(' ') : [value]);
    if ('error' in parsed) return parsed.error;
    return this.store(d, parsed.value);
  }

  /** Stores one parsed value; `dir` changes the working directory first, as Redis's setter does. */
  private store(d: Directive, value: string): string | null {
    if (d.name === 'dir' && this.effects.chdir) {
      const err = this.effects.chdir(value);
      if (err) return err;
      if (this.effects.cwd) value = this.effects.cwd();
    }
    this.commit([[d, value]]);
    return null;
  }

  /** Sets a directive from a config-file line's arguments; returns an error reason or null. */
  setFromFile(name: string, args: string[]): string | null {
    const d = this.directive(name);
    if (!d) return 'Bad directive or wrong number of arguments';
    if (!isMultiArg(d) && args.length !== 1) return 'wrong number of arguments';
    const parsed = this.parse(d, args);
    if ('error' in parsed) return parsed.error;
    this.explicit.add(d.name);
    return this.store(d, parsed.value);
  }

  beginFileLoad(): void {
    this.loadingFile = true;
  }

  endFileLoad(): void {
    this.loadingFile = false;
  }

  /**
   * CONFIG SET name value [name value ...]: all or nothing. Returns the full
   * error reply in Redis's words, or null when every value was stored.
   */
  setMany(pairs: readonly (readonly [string, string])[], opts: { localClient: boolean }): string | null {
    let invalidName: string | null = null;
    let errName = '';
    let errReason: string | null = null;
    const chosen: Directive[] = [];
    for (const [name, _value] of pairs) {
      const d = this.directive(name);
      if (!d) {
        if (invalidName === null) invalidName = name;
        continue;
      }
      if (invalidName !== null || errReason !== null) continue;
      if (!d.mutable || (d.protected && !this.protectedAllowed(opts.localClient))) {
        errReason = d.mutable ? "can't set protected config" : "can't set immutable config";
        errName = name;
        continue;
      }
      if (chosen.includes(d)) {
        errReason = 'duplicate parameter';
        errName = name;
        continue;
      }
      chosen.push(d);
    }
    if (invalidName !== null) return `ERR Unknown option or number of arguments for CONFIG SET - '${invalidName}'`;
    if (errReason !== null) return `ERR CONFIG SET failed (possibly related to argument '${errName}') - ${errReason}`;
    const updates: [Directive, string][] = [];
    for (let i = 0; i < pairs.length; i++) {
      const [name, value] = pairs[i]!;
      const d = chosen[i]!;
      const parsed = this.parse(d, isMultiArg(d) ? value.split(' ') : [value]);
      // Redis names the directive as its table spells the entry used (an alias stays an alias).
      const shown = name.toLowerCase();
      if ('error' in parsed) return `ERR CONFIG SET failed (possibly related to argument '${shown}') - ${parsed.error}`;
      updates.push([d, parsed.value]);
    }
    // dir is the one value with an effect that can fail; do it before storing anything.
    for (const [d, v] of updates) {
      if (d.name !== 'dir' || !this.effects.chdir) continue;
      const err = this.effects.chdir(v);
      if (err) return `ERR CONFIG SET failed (possibly related to argument 'dir') - ${err}`;
    }
    this.commit(updates.map(([d, v]) => [d, d.name === 'dir' && this.effects.cwd ? this.effects.cwd() : v]));
    return null;
  }

  private protectedAllowed(localClient: boolean): boolean {
    const mode = this.values.get('enable-protected-configs');
    return mode === 'yes' || (mode === 'local' && localClient);
  }

  private commit(updates: readonly (readonly [Directive, string])[]): void {
    const changed: [string, string][] = [];
    for (const [d, v] of updates) {
      if (d.name === 'notify-keyspace-events') this.notifyBits = this.parsedNotifyFlags ?? parseNotifyFlags(v) ?? 0;
      if (this.values.get(d.name) !== v) changed.push([d.name, v]);
      this.values.set(d.name, v);
    }
    this.refreshCache();
    for (const [n, v] of changed) for (const l of this.listeners) l(n, v);
  }

  /** Every directive whose name matches one of the patterns (or equals a plain name), as CONFIG GET lists them. */
  matching(patterns: readonly string[]): [string, string][] {
    const out: [string, string][] = [];
    const seen = new Set<string>();
    for (const p of patterns) {
      if (!/[[*?]/.test(p)) {
        const key = p.toLowerCase();
        if (seen.has(key)) continue;
        const d = this.directive(p);
        if (!d) continue;
        seen.add(key);
        out.push([p, this.values.get(d.name)!]);
        continue;
      }
      for (const [name, d] of this.byName) {
        if (d.hidden || seen.has(name)) continue;
        if (!globMatch(p, name, true)) continue;
        seen.add(name);
        out.push([name, this.values.get(d.name)!]);
      }
    }
    return out;
  }

  onChange(l: ConfigListener): void {
    this.listeners.push(l);
  }

  private refreshCache(): void {
    this.cachedRequirepass = this.values.get('requirepass') ?? '';
    this.cachedMaxmemory = Number(this.values.get('maxmemory') ?? 0);
    this.cachedBools = {
      allowReadsWhenDown: this.values.get('cluster-allow-reads-when-down') === 'yes',
      allowPubSubShardWhenDown: this.values.get('cluster-allow-pubsubshard-when-down') === 'yes',
      syncReplication: this.values.get('cluster-sync-replication') === 'yes',
    };
  }

  /** cluster-allow-reads-when-down, cached. */
  allowReadsWhenDown(): boolean {
    return this.cachedBools.allowReadsWhenDown;
  }

  /** cluster-allow-pubsubshard-when-down, cached. */
  allowPubSubShardWhenDown(): boolean {
    return this.cachedBools.allowPubSubShardWhenDown;
  }

  /** cluster-sync-replication, cached. */
  syncReplication(): boolean {
    return this.cachedBools.syncReplication;
  }

  requirepass(): string {
    return this.cachedRequirepass;
  }

  maxmemoryBytes(): number {
    return this.cachedMaxmemory;
  }

  /** notify-keyspace-events as NOTIFY bits (see notify-flags.ts). */
  notifyFlags(): number {
    return this.notifyBits;
  }

  /** Validates args for d and returns the value CONFIG GET will show. */
  private parse(d: Directive, args: readonly string[]): Parsed {
    switch (d.type) {
      case 'bool': {
        const v = args[0]!.toLowerCase();
        if (v !== 'yes' && v !== 'no') return { error: "argument must be 'yes' or 'no'" };
        const bad = d.check?.(v);
        return bad ? { error: bad } : { value: v };
      }
      case 'string': {
        const bad = d.check?.(args[0]!);
        return bad ? { error: bad } : { value: args[0]! };
      }
      case 'enum': {
        const v = args[0]!.toLowerCase();
        const hit = d.values!.find((x) => x === v);
        return hit ? { value: hit } : { error: enumError(d) };
      }
      case 'flags': {
        const set = new Set<string>();
        for (const a of args) {
          const v = a.toLowerCase();
          if (!d.values!.includes(v)) return { error: enumError(d) };
          set.add(v);
        }
        const shown = d.values!.filter((x) => x !== d.default && set.has(x));
        return { value: shown.length ? shown.join(' ') : d.default };
      }
      case 'int':
      case 'memory':
        return this.parseNumber(d, args[0]!);
      case 'special':
        return this.parseSpecial(d, args);
    }
  }

  private parseNumber(d: Directive, text: string): Parsed {
    let raw: bigint | null = null;
    if (d.type === 'memory') raw = parseMemory(text);
    if (raw === null && d.percent && text.length > 1 && text.endsWith('%')) {
      const p = strictInt(text.slice(0, -1));
      if (p !== null && p >= 0n) raw = -p;
    }
    if (raw === null && d.octal && /^[0-7]+$/.test(text)) raw = BigInt('0o' + text);
    if (raw === null && d.type === 'int' && !d.octal) raw = strictInt(text);
    if (raw === null) {
      if (d.type === 'memory') return { error: d.percent ? 'argument must be a memory or percent value' : 'argument must be a memory value' };
      return { error: d.octal ? "argument couldn't be parsed as an octal number" : "argument couldn't be parsed into an integer" };
    }
    // Redis passes every value through a long long, then casts to the field's C type.
    const signed = raw >= TWO_63 ? raw - TWO_64 : raw;
    const min = BigInt(d.min ?? -TWO_63);
    const max = BigInt(d.max ?? TWO_63 - 1n);
    const fmt = (n: bigint): string => (d.octal ? n.toString(8) : String(n));
    if (d.unsigned) {
      const u = signed < 0n ? signed + TWO_64 : signed;
      if (u < min || u > max) return { error: `argument must be between ${fmt(min)} and ${fmt(max)} inclusive` };
      return { value: d.octal ? u.toString(8) : String(u) };
    }
    if (d.percent && signed < 0n) {
      if (signed < min) return { error: `percentage argument must be less or equal to ${-min}` };
      return { value: `${-signed}%` };
    }
    if (signed < min || signed > max) return { error: `argument must be between ${min} and ${max} inclusive` };
    return { value: String(signed) };
  }

  private parseSpecial(d: Directive, argsIn: readonly string[]): Parsed {
    // A single empty argument means "none" for the list-valued directives.
    const empty = argsIn.length === 1 && argsIn[0] === '';
    const args = empty ? [] : argsIn;
    switch (d.name) {
      case 'bind':
        if (argsIn.length > 16) return { error: 'Too many bind addresses specified.' };
        return { value: args.join(' ') };
      case 'save': {
        if (args.length % 2) return { error: 'Invalid save parameters' };
        const nums: bigint[] = [];
        for (let j = 0; j < args.length; j++) {
          const v = strtollFull(args[j]!) ?? (args[j] === '' ? 0n : null);
          if (v === null || (j % 2 === 0 && v < 1n) || (j % 2 === 1 && v < 0n)) return { error: 'Invalid save parameters' };
          nums.push(v);
        }
        let value = nums.map(String).join(' ');
        if (this.loadingFile) {
          // Several `save` lines in a file add up; the first one replaces the default.
          if (this.saveLoaded && !empty) {
            const prev = this.values.get('save') ?? '';
            value = prev ? `${prev} ${value}` : value;
          }
          this.saveLoaded = true;
        }
        return { value };
      }
      case 'client-output-buffer-limit': {
        if (argsIn.length % 4) return { error: 'Wrong number of arguments in buffer limit configuration.' };
        const current = new Map<string, string>();
        const cur = (this.values.get(d.name) ?? d.default).split(' ');
        for (let j = 0; j + 3 < cur.length; j += 4) current.set(cur[j]!, cur.slice(j + 1, j + 4).join(' '));
        for (let j = 0; j < argsIn.length; j += 4) {
          let cls = argsIn[j]!.toLowerCase();
          if (cls === 'replica') cls = 'slave';
          if (!(OBUF_CLASSES as readonly string[]).includes(cls)) return { error: 'Invalid client class specified in buffer limit configuration.' };
          const hard = parseMemory(argsIn[j + 1]!);
          const soft = parseMemory(argsIn[j + 2]!);
          const secs = /^-?[0-9]+$/.test(argsIn[j + 3]!) ? BigInt(argsIn[j + 3]!) : null;
          if (hard === null || soft === null || secs === null || secs < 0n) {
            return { error: 'Error in hard, soft or soft_seconds setting in buffer limit configuration.' };
          }
          current.set(cls, `${hard} ${soft} ${secs}`);
        }
        return { value: OBUF_CLASSES.map((c) => `${c} ${current.get(c) ?? '0 0 0'}`).join(' ') };
      }
      case 'oom-score-adj-values': {
        if (argsIn.length !== 3) return { error: 'wrong number of arguments' };
        const vals: number[] = [];
        for (const a of argsIn) {
          const v = strtollFull(a);
          if (v === null || v < -2000n || v > 2000n) return { error: 'Invalid oom-score-adj-values, elements must be between -2000 and 2000.' };
          vals.push(Number(v));
        }
        return { value: vals.join(' ') };
      }
      case 'notify-keyspace-events': {
        if (argsIn.length !== 1) return { error: 'wrong number of arguments' };
        const flags = parseNotifyFlags(argsIn[0]!);
        if (flags === null) return { error: NOTIFY_INVALID };
        // The shown string can lose a flag ("KAn" shows as "AK"), so the bits are kept apart.
        this.parsedNotifyFlags = flags;
        return { value: notifyFlagsToString(flags) };
      }
      case 'replicaof': {
        if (argsIn.length !== 2) return { error: 'wrong number of arguments' };
        const [host, portText] = argsIn as [string, string];
        if (host.toLowerCase() === 'no' && portText.toLowerCase() === 'one') return { value: '' };
        const port = /^[+-]?[0-9]+$/.test(portText.trim()) ? Number(portText) : NaN;
        if (!(port >= 0 && port <= 65535)) return { error: 'Invalid master port' };
        return { value: `${host} ${port}` };
      }
      case 'latency-tracking-info-percentiles': {
        const out: string[] = [];
        for (const a of args) {
          const v = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(a) ? Number(a) : NaN;
          if (Number.isNaN(v)) return { error: 'Invalid latency-tracking-info-percentiles parameters' };
          if (v > 100 || v < 0) return { error: 'latency-tracking-info-percentiles parameters should sit between [0.0,100.0]' };
          out.push(v.toFixed(6).replace(/\.?0+$/, ''));
        }
        return { value: out.join(' ') };
      }
      case 'dir': {
        if (argsIn.length !== 1) return { error: 'wrong number of arguments' };
        return { value: argsIn[0]! };
      }
      default:
        return { value: argsIn.join(' ') };
    }
  }

  /** The lines CONFIG REWRITE writes for d: one per value, plus whether it differs from the default. */
  rewriteLines(d: Directive): { lines: string[]; force: boolean } {
    const v = this.values.get(d.name) ?? d.default;
    const force = v !== d.default;
    switch (d.type) {
      case 'bool':
      case 'enum':
      case 'flags':
        return { lines: [`${d.name} ${v}`], force };
      case 'int':
        return { lines: [`${d.name} ${v}`], force };
      case 'memory':
        return { lines: [`${d.name} ${v.endsWith('%') ? v : formatMemory(BigInt(v))}`], force };
      case 'string':
        // An empty string that is the default must stay absent, not become "".
        if (v === '' && d.default === '') return { lines: [], force: false };
        return { lines: [`${d.name} ${quoteRepr(v)}`], force };
      case 'special':
        switch (d.name) {
          case 'save':
            if (v === '') return { lines: ['save ""'], force: true };
            return { lines: pairs(v.split(' ')).map(([s, c]) => `save ${s} ${c}`), force: true };
          case 'dir':
            return { lines: [`dir ${quoteRepr(v)}`], force: true };
          case 'replicaof':
            return { lines: v ? [`replicaof ${v}`] : [], force: v !== '' };
          case 'notify-keyspace-events':
            return { lines: [`notify-keyspace-events ${quoteRepr(v)}`], force };
          case 'client-output-buffer-limit': {
            const parts = v.split(' ');
            const defs = d.default.split(' ');
            const lines: string[] = [];
            let any = false;
            for (let j = 0; j + 3 < parts.length; j += 4) {
              const same = parts.slice(j, j + 4).join(' ') === defs.slice(j, j + 4).join(' ');
              any ||= !same;
              lines.push(`${d.name} ${parts[j]} ${formatMemory(BigInt(parts[j + 1]!))} ${formatMemory(BigInt(parts[j + 2]!))} ${parts[j + 3]}`);
            }
            return { lines, force: any };
          }
          case 'latency-tracking-info-percentiles':
            return { lines: [v === '' ? `${d.name} ""` : `${d.name} ${v}`], force };
          default:
            return { lines: [v === '' ? `${d.name} ""` : `${d.name} ${v}`], force };
        }
    }
  }
}

function pairs(xs: string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < xs.length; i += 2) out.push([xs[i]!, xs[i + 1]!]);
  return out;
}

function enumError(d: Directive): string {
  return `argument(s) must be one of the following: ${d.values!.join(', ')}`;
}

/** sdscatrepr: a double-quoted string with C escapes, as CONFIG REWRITE writes strings. */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = s.charCodeAt(i);
    if (c === '\\' || c === '"') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (code === 7) out += '\\a';
    else if (code === 8) out += '\\b';
    else if (code < 32 || code >= 127) out += '\\x' + code.toString(16).padStart(2, '0');
    else out += c;
  }
  return out + '"';
}
