// Builds the seeded command sequence: every command of the table at least
// `minPerCommand` times, topped up with random picks until `count` commands,
// shuffled so the guaranteed ones are spread over the run.

import { seededRandom } from '../../src/core/random.js';
import { Gen, type Cmd, type Step } from './gen.js';
import { TABLE } from './commands.js';

export const MIN_PER_COMMAND = 50;

/** The commands a step issues on purpose (probes, SCAN continuations and SPOP put-backs are not counted). */
export function stepCommands(step: Step): Cmd[] {
  return step.t === 'group' ? step.cmds : [step.cmd];
}

/** `skip`: coverage names left out (commands the server under test does not have yet, for a focused report). */
export function generate(seed: number, count: number, minPerCommand = MIN_PER_COMMAND, skip: ReadonlySet<string> = new Set()): Step[] {
  const g = new Gen(seededRandom(seed), skip);
  const names = Object.keys(TABLE).filter((n) => !skip.has(n));
  const deck: string[] = [];
  for (const n of names) for (let i = 0; i < minPerCommand; i++) deck.push(n);
  // Transactions carry several commands per step, so fewer steps than `count` are drawn up front.
  const target = Math.floor(count * 0.85);
  while (deck.length < target) deck.push(g.pick(names));
  g.shuffle(deck);
  const steps: Step[] = [];
  let total = 0;
  const add = (name: string): void => {
    const step = TABLE[name]!(g);
    steps.push(step);
    total += stepCommands(step).length;
  };
  for (const n of deck) add(n);
  while (total < count) add(g.pick(names));
  return skip.size ? steps.filter((st) => stepCommands(st).every((c) => !skip.has(c.name))) : steps;
}

/** The command a coverage name stands for, with no arguments (for probing whether a server has it). */
export function bareCommand(name: string): string[] {
  // FLUSHDB with no argument would flush: send a form that is an error whether or not it is known.
  if (name === 'flushdb') return ['FLUSHDB', 'x', 'y'];
  return name.split('|').map((p) => p.toUpperCase());
}

/** How many times each coverage name is issued by a sequence. */
export function coverage(steps: readonly Step[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const n of Object.keys(TABLE)) out.set(n, 0);
  for (const s of steps) for (const c of stepCommands(s)) out.set(c.name, (out.get(c.name) ?? 0) + 1);
  return out;
}

export function commandCount(steps: readonly Step[]): number {
  let n = 0;
  for (const s of steps) n += stepCommands(s).length;
  return n;
}

/** The sequence as text (one command per line, arguments JSON-quoted), for replaying by hand. */
export function dump(steps: readonly Step[]): string {
  const lines: string[] = [];
  steps.forEach((s, i) => {
    for (const c of stepCommands(s)) lines.push(`${i}\t${c.args.map((a) => JSON.stringify(a)).join(' ')}`);
  });
  return lines.join('\n') + '\n';
}
