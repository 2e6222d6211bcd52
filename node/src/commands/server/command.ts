// COMMAND: the command table as data, for clients (ioredis and node-redis
// read COMMAND INFO for key positions), cluster routers and humans.

import { NO_KEYS, keyIndices, type CommandSpec } from '../spec.js';
import type { Session } from '../session.js';
import type { CompiledCommand } from '../registry.js';
import { Err } from '../../core/errors.js';
import { globMatch } from '../../core/glob.js';
import { replyHelp } from './help.js';
import { aclCategories, commandFlags, hasKeys } from './command-meta.js';

const FLAGS = ['loading', 'stale'] as const;

function replyInfo(s: Session, cmd: CompiledCommand): void {
  const spec = cmd.spec;
  const out = s.out;
  out.array(10);
  out.bulk(cmd.fullName);
  out.int(spec.arity);
  const flags = commandFlags(spec);
  out.set(flags.length);
  for (const f of flags) out.simple(f);
  const k = spec.keys;
  out.int(k.first);
  out.int(k.last);
  out.int(k.step);
  const cats = aclCategories(spec);
  out.set(cats.length);
  for (const c of cats) out.simple(c);
  const tips = spec.tips ?? [];
  out.set(tips.length);
  for (const t of tips) out.bulk(t);
  // Key specs are not modelled; the legacy triple above carries the positions.
  out.set(0);
  const subs = cmd.subcommands ? [...cmd.subcommands.values()] : [];
  out.set(subs.length);
  for (const sub of subs) replyInfo(s, sub);
}

function replyDocs(s: Session, cmd: CompiledCommand): void {
  const spec = cmd.spec;
  const out = s.out;
  const subs = cmd.subcommands ? [...cmd.subcommands.values()] : [];
  const fields: [string, string][] = [];
  fields.push(['summary', spec.summary ?? '']);
  fields.push(['since', spec.since ?? '1.0.0']);
  fields.push(['group', spec.group]);
  if (spec.complexity !== undefined) fields.push(['complexity', spec.complexity]);
  out.map(fields.length + (subs.length ? 1 : 0));
  for (const [k, v] of fields) {
    out.bulk(k);
    out.bulk(v);
  }
  if (subs.length) {
    out.bulk('subcommands');
    out.map(subs.length);
    for (const sub of subs) {
      out.bulk(sub.fullName);
      replyDocs(s, sub);
    }
  }
}

/** Every command, subcommands after their container, in registration order. */
function allCommands(s: Session): CompiledCommand[] {
  const out: CompiledCommand[] = [];
  for (const spec of s.node.registry.specs) {
    const cmd = s.node.registry.lookup(spec.name);
    if (cmd) out.push(cmd);
  }
  return out;
}

/** Resolves "get" or "config|get" as COMMAND INFO/DOCS accept them. */
function lookupByFullName(s: Session, name: string): CompiledCommand | undefined {
  const bar = name.indexOf('|');
  if (bar < 0) return s.node.registry.lookup(name);
  const parent = s.node.registry.lookup(name.slice(0, bar));
  return parent ? s.node.registry.lookupSub(parent, name.slice(bar + 1)) : undefined;
}

const count = {
  name: 'count',
  arity: 2,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  summary: 'Get total number of Redis commands',
  since: '2.8.13',
  complexity: 'O(1)',
  run(s) {
    s.out.int(s.node.registry.count);
  },
} as const satisfies CommandSpec;

const info = {
  name: 'info',
  arity: -2,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  tips: ['nondeterministic_output_order'],
  summary: 'Get array of specific Redis command details, or all when no argument is given.',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of commands to look up',
  run(s, args) {
    if (args.length === 2) {
      const all = allCommands(s);
      s.out.array(all.length);
      for (const c of all) replyInfo(s, c);
      return;
    }
    s.out.array(args.length - 2);
    for (let i = 2; i < args.length; i++) {
      const c = lookupByFullName(s, args[i]!);
      if (c) replyInfo(s, c);
      else s.out.nil();
    }
  },
} as const satisfies CommandSpec;

const docs = {
  name: 'docs',
  arity: -2,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  tips: ['nondeterministic_output_order'],
  summary: 'Get array of specific Redis command documentation',
  since: '7.0.0',
  complexity: 'O(N) where N is the number of commands to look up',
  run(s, args) {
    let chosen: CompiledCommand[];
    if (args.length === 2) chosen = allCommands(s);
    else {
      chosen = [];
      for (let i = 2; i < args.length; i++) {
        const c = lookupByFullName(s, args[i]!);
        if (c) chosen.push(c);
      }
    }
    s.out.map(chosen.length);
    for (const c of chosen) {
      s.out.bulk(c.fullName);
      replyDocs(s, c);
    }
  },
} as const satisfies CommandSpec;

const getkeys = {
  name: 'getkeys',
  arity: -4,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  summary: 'Extract keys given a full Redis command',
  since: '2.8.13',
  complexity: 'O(N) where N is the number of arguments to the command',
  run(s, args) {
    const argv = args.slice(2);
    let cmd = s.node.registry.lookup(argv[0]!);
    if (cmd?.subcommands && argv.length >= 2) cmd = s.node.registry.lookupSub(cmd, argv[1]!) ?? cmd;
    if (!cmd) {
      s.error('ERR Invalid command specified');
      return;
    }
    if (!hasKeys(cmd.spec)) {
      s.error('ERR The command has no key arguments');
      return;
    }
    const arity = cmd.spec.arity;
    if ((arity > 0 && arity !== argv.length) || argv.length < -arity) {
      s.error('ERR Invalid number of arguments specified for command');
      return;
    }
    let idx: number[];
    try {
      idx = keyIndices(cmd.spec, argv).filter((i) => i < argv.length);
    } catch {
      idx = [];
    }
    if (idx.length === 0) {
      if (cmd.spec.flags.includes('no_mandatory_keys')) s.out.array(0);
      else s.error('ERR Invalid arguments specified for command');
      return;
    }
    s.out.array(idx.length);
    for (const i of idx) s.out.bulk(argv[i]!);
  },
} as const satisfies CommandSpec;

const list = {
  name: 'list',
  arity: -2,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  tips: ['nondeterministic_output_order'],
  summary: 'Get an array of Redis command names',
  since: '7.0.0',
  complexity: 'O(N) where N is the total number of Redis commands',
  run(s, args) {
    let accept: (c: CompiledCommand) => boolean = () => true;
    if (args.length === 5 && args[2]!.toLowerCase() === 'filterby') {
      const kind = args[3]!.toLowerCase();
      const value = args[4]!;
      if (kind === 'module') accept = () => false; // no modules
      else if (kind === 'aclcat') {
        const cat = `@${value.toLowerCase()}`;
        accept = (c) => aclCategories(c.spec).includes(cat);
      } else if (kind === 'pattern') accept = (c) => globMatch(value, c.fullName, true);
      else {
        s.error(Err.syntax);
        return;
      }
    } else if (args.length !== 2) {
      s.error(Err.syntax);
      return;
    }
    const names: string[] = [];
    for (const c of allCommands(s)) {
      if (accept(c)) names.push(c.fullName);
      if (c.subcommands) for (const sub of c.subcommands.values()) if (accept(sub)) names.push(sub.fullName);
    }
    s.out.bulks(names);
  },
} as const satisfies CommandSpec;

const help = {
  name: 'help',
  arity: 2,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  summary: 'Show helpful text about the different subcommands',
  since: '5.0.0',
  complexity: 'O(1)',
  run(s) {
    replyHelp(s, 'COMMAND', [
      '(no subcommand)',
      '    Return details about all Redis commands.',
      'COUNT',
      '    Return the total number of commands in this Redis server.',
      'LIST',
      '    Return a list of all commands in this Redis server.',
      'INFO [<command-name> ...]',
      '    Return details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'DOCS [<command-name> ...]',
      '    Return documentation details about multiple Redis commands.',
      '    If no command names are given, documentation details for all',
      '    commands are returned.',
      'GETKEYS <full-command>',
      '    Return the keys from a full Redis command.',
    ]);
  },
} as const satisfies CommandSpec;

export const command = {
  name: 'command',
  arity: -1,
  flags: FLAGS,
  group: 'server',
  keys: NO_KEYS,
  acl: ['@connection'],
  tips: ['nondeterministic_output_order'],
  summary: 'Get array of Redis command details',
  since: '2.8.13',
  complexity: 'O(N) where N is the total number of Redis commands',
  subcommands: [count, info, docs, getkeys, list, help],
  run(s) {
    const all = allCommands(s);
    s.out.array(all.length);
    for (const c of all) replyInfo(s, c);
  },
} as const satisfies CommandSpec;
