// The registry compiles the declarative specs into lookup-ready entries:
// flags become booleans and each entry holds its own statistics record, so
// dispatch does one Map lookup and no array scans per command.

import type { CommandSpec } from './spec.js';
import type { CommandStat, ServerStats } from '../services/stats.js';

export interface CompiledCommand {
  readonly spec: CommandSpec;
  /** "get", or "config|get" for a subcommand: the name in stats and errors. */
  readonly fullName: string;
  readonly parent: CompiledCommand | null;
  readonly write: boolean;
  readonly denyoom: boolean;
  /** Flagged 'fast' (O(1)/O(log N)): its duration is sampled, not measured on every call. */
  readonly fast: boolean;
  readonly noAuth: boolean;
  readonly noMulti: boolean;
  readonly blocking: boolean;
  readonly pubsubAllowed: boolean;
  readonly loading: boolean;
  readonly stale: boolean;
  readonly admin: boolean;
  /** Subcommands by lowercase name. */
  readonly subcommands: Map<string, CompiledCommand> | null;
  stat: CommandStat;
}

/** Commands a RESP2 client in subscribed state may run. */
const PUBSUB_CONTEXT = new Set(['ping', 'subscribe', 'ssubscribe', 'unsubscribe', 'sunsubscribe', 'psubscribe', 'punsubscribe', 'quit', 'reset']);

export class CommandRegistry {
  private readonly byName = new Map<string, CompiledCommand>();
  readonly specs: CommandSpec[] = [];

  constructor(
    specs: readonly CommandSpec[],
    private readonly stats: ServerStats,
  ) {
    for (const spec of specs) this.add(spec);
  }

  private compile(spec: CommandSpec, parent: CompiledCommand | null): CompiledCommand {
    const fullName = parent ? `${parent.fullName}|${spec.name}` : spec.name;
    const has = (f: string): boolean => (spec.flags as readonly string[]).includes(f);
    const entry: CompiledCommand = {
      spec,
      fullName,
      parent,
      write: has('write'),
      denyoom: has('denyoom'),
      fast: has('fast'),
      noAuth: has('no_auth'),
      noMulti: has('no_multi'),
      blocking: has('blocking'),
      pubsubAllowed: PUBSUB_CONTEXT.has(parent ? parent.spec.name : spec.name),
      loading: has('loading'),
      stale: has('stale'),
      admin: has('admin'),
      subcommands: spec.subcommands ? new Map() : null,
      stat: this.stats.commandStat(fullName),
    };
    if (spec.subcommands && entry.subcommands) {
      for (const sub of spec.subcommands) entry.subcommands.set(sub.name, this.compile(sub, entry));
    }
    return entry;
  }

  add(spec: CommandSpec): void {
    if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} registered twice`);
    const entry = this.compile(spec, null);
    this.specs.push(spec);
    this.byName.set(spec.name, entry);
    // Clients send upper case; registering it too saves a toLowerCase per command.
    this.byName.set(spec.name.toUpperCase(), entry);
  }

  lookup(name: string): CompiledCommand | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** Resolves a container's subcommand (args[1]); undefined if unknown. */
  lookupSub(parent: CompiledCommand, sub: string): CompiledCommand | undefined {
    return parent.subcommands?.get(sub.toLowerCase());
  }

  get count(): number {
    return this.specs.length;
  }
}
