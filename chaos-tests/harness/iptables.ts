// Network partitions between simulated zones, with iptables.
//
// Every node of zone z runs as system user tessera-z<z> and is reached by its
// peers at 127.0.<z>.x (the address it announces). A partition of zone X
// from zone Y drops, in the OUTPUT chain, packets owned by X's user to Y's
// block and packets owned by Y's user to X's block. Every TCP connection
// between the two zones then loses its initiator's packets, so it is dead in
// both directions, while the client (root, not matched) still reaches every
// node: this is "the zones cannot see each other, the application sees all".
//
// All rules live in our own chain, TESSERA-CHAOS, jumped to from OUTPUT;
// `reset()` flushes it and is called before and after every test and from an
// exit hook, so a failed test never leaves a rule behind.

import { execFileSync } from 'node:child_process';
import { zoneUser } from '../../coordinator/src/local/cluster.js';

export const CHAIN = 'TESSERA-CHAOS';

export class IptablesError extends Error {
  override readonly name = 'IptablesError';
}

function ipt(args: readonly string[]): { ok: boolean; output: string } {
  try {
    const out = execFileSync('iptables', ['-w', '5', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output: out.toString() };
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return { ok: false, output: err.stderr?.toString() ?? err.message };
  }
}

function must(args: readonly string[]): void {
  const r = ipt(args);
  if (!r.ok) throw new IptablesError(`iptables ${args.join(' ')} failed: ${r.output.trim()}`);
}

/** Why partitions cannot run here, or undefined when they can (root and a working iptables). */
export function partitionUnavailableReason(): string | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return 'not root: zone partitions need iptables and per-zone system users';
  return undefined;
}

/** Creates the chain and the jump from OUTPUT if missing, and flushes it. Throws when iptables cannot. */
export function reset(): void {
  if (!ipt(['-n', '-L', CHAIN]).ok) must(['-N', CHAIN]);
  must(['-F', CHAIN]);
  if (!ipt(['-C', 'OUTPUT', '-j', CHAIN]).ok) must(['-I', 'OUTPUT', '1', '-j', CHAIN]);
}

/** Flushes the chain and removes it and its jump; best effort (used on exit). */
export function removeAll(): void {
  ipt(['-F', CHAIN]);
  while (ipt(['-D', 'OUTPUT', '-j', CHAIN]).ok) { /* remove every jump we added */ }
  ipt(['-X', CHAIN]);
}

/** Cuts zone `isolated` (by its 1-based number and name) from each of `others`, both ways. */
export function partitionZone(isolated: { zone: string; zoneNumber: number }, others: readonly { zone: string; zoneNumber: number }[]): string[] {
  reset();
  const rules: string[][] = [];
  for (const o of others) {
    rules.push(['-A', CHAIN, '-m', 'owner', '--uid-owner', zoneUser(isolated.zone), '-d', `127.0.${o.zoneNumber}.0/24`, '-j', 'DROP']);
    rules.push(['-A', CHAIN, '-m', 'owner', '--uid-owner', zoneUser(o.zone), '-d', `127.0.${isolated.zoneNumber}.0/24`, '-j', 'DROP']);
  }
  for (const r of rules) must(r);
  return rules.map((r) => `iptables ${r.join(' ')}`);
}

/** The rules now in the chain (for results and debugging). */
export function listRules(): string {
  return ipt(['-S', CHAIN]).output;
}

let hooked = false;
/** Makes sure the chain is removed when the process exits, however it exits. */
export function removeOnExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', removeAll);
}
