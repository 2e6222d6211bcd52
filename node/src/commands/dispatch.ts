// Dispatch is Redis's processCommand: find the command, check arity,
// authentication, pub/sub context, memory and MULTI queueing, then call it
// with statistics. Every rejection is written in Redis's words here, and
// every error reply, thrown or written, is counted by its code.

import { performance } from 'node:perf_hooks';
import { Err, ReplyError, unknownCommand, unknownSubcommand, wrongArity } from '../core/errors.js';
import type { CommandRegistry, CompiledCommand } from './registry.js';
import type { Session } from './session.js';
import type { NodeState } from './node-state.js';
import { hasFlag } from './spec.js';
import { discardTransaction } from './transactions/state.js';

/** One 'fast' call in this many is timed (a power of two). */
const FAST_SAMPLE_EVERY = 8;

/** Commands that run immediately even inside MULTI. */
const MULTI_IMMEDIATE = new Set(['exec', 'discard', 'multi', 'watch', 'quit', 'reset']);

/**
 * Pre-execution hook for cluster routing and other gates: returns an error
 * reply to refuse the command, or null to run it.
 */
export type CommandGate = (s: Session, cmd: CompiledCommand, args: string[]) => string | null;

/** Frees memory before a command when over maxmemory; false if it could not. */
export type Evictor = () => boolean;

export class Dispatcher {
  /** Gates run in order before the command (cluster routing is one). */
  readonly gates: CommandGate[] = [];
  evictor: Evictor = () => true;
  /** Called before each executed command (replication opens its propagation context). */
  beforeCall: ((s: Session, cmd: CompiledCommand) => void) | null = null;
  /** Time every call (set while slowlog-log-slower-than is below 1 ms, so fast commands are logged). */
  timeEveryCall = false;
  private timingTick = 0;
  /** Called after each executed command (replication propagation, slowlog); micros is -1 when the call was not timed. */
  afterCall: ((s: Session, cmd: CompiledCommand, args: string[], micros: number) => void) | null = null;

  /** CLIENT PAUSE: until when (0 = not paused) and whether reads are held too. */
  pauseEndMs = 0;
  pauseAll = false;
  /** Sessions holding a command until the pause ends, in arrival order. */
  private readonly parked = new Set<Session>();

  constructor(
    readonly node: NodeState,
    readonly registry: CommandRegistry,
  ) {}

  /**
   * CLIENT PAUSE: like Redis, a second pause never shortens the first or
   * relaxes it from ALL to WRITE.
   */
  pause(endMs: number, all: boolean): void {
    if (endMs > this.pauseEndMs) this.pauseEndMs = endMs;
    if (all) this.pauseAll = true;
    // Expiring keys is a write a replica would see: hold it as Redis does.
    this.node.keyspace.expiryPaused = true;
  }

  /** Ends the pause and lets every held session run its command. */
  unpause(): void {
    this.pauseEndMs = 0;
    this.pauseAll = false;
    this.node.keyspace.expiryPaused = false;
    const held = [...this.parked];
    this.parked.clear();
    for (const s of held) {
      if (this.node.clients.byId.get(s.id) === s) this.node.host.resume(s);
    }
  }

  /** Ends the pause if its time has come (called from the server cron and before commands). */
  checkPause(nowMs: number): void {
    if (this.pauseEndMs !== 0 && nowMs >= this.pauseEndMs) this.unpause();
  }

  get parkedCount(): number {
    return this.parked.size;
  }

  /** Whether CLIENT PAUSE holds this command (Redis's processCommand rule). */
  private heldByPause(s: Session, cmd: CompiledCommand, rootName: string): boolean {
    this.checkPause(this.node.keyspace.nowMs);
    if (this.pauseEndMs === 0) return false;
    // Replicas are never paused; commands queued by MULTI wait for EXEC.
    if (s.kindFlags.includes('S')) return false;
    if (s.inMulti && !MULTI_IMMEDIATE.has(rootName)) return false;
    if (this.pauseAll) return true;
    if (cmd.write || hasFlag(cmd.spec, 'may_replicate')) return true;
    return rootName === 'exec' && s.multiQueue.some((q) => q.cmd.write || hasFlag(q.cmd.spec, 'may_replicate'));
  }

  /** Writes an error reply for s and counts it. */
  reject(s: Session, message: string, cmd: CompiledCommand | null): void {
    if (cmd && cmd.spec.name === 'exec' && !cmd.parent) {
      // Redis's rejectCommand on EXEC aborts the transaction (execCommandAbort),
      // even outside MULTI, and words the reason without its ERR prefix.
      discardTransaction(s);
      s.error(`EXECABORT Transaction discarded because of: ${message.startsWith('ERR ') ? message.slice(4) : message}`);
      cmd.stat.rejectedCalls++;
      return;
    }
    s.error(message);
    if (cmd) cmd.stat.rejectedCalls++;
    if (s.inMulti) s.multiError = true;
  }

  /** Resolves args to a command (and subcommand), or writes the error and returns null. */
  resolve(s: Session, args: string[]): CompiledCommand | null {
    const name = args[0]!;
    const cmd = this.registry.lookup(name);
    if (!cmd) {
      this.reject(s, unknownCommand(name, args.slice(1)), null);
      return null;
    }
    if (cmd.subcommands) {
      // A container with its own run (COMMAND) answers when called bare.
      if (args.length < 2 && cmd.spec.run) return cmd;
      if (args.length < 2) {
        this.reject(s, wrongArity(cmd.fullName), cmd);
        return null;
      }
      const sub = this.registry.lookupSub(cmd, args[1]!);
      if (!sub) {
        this.reject(s, unknownSubcommand(args[1]!, cmd.fullName), cmd);
        return null;
      }
      return sub;
    }
    return cmd;
  }

  /** Processes one command from a client. */
  execute(s: Session, args: string[]): void {
    const cmd = this.resolve(s, args);
    if (!cmd) return;
    const arity = cmd.spec.arity;
    if ((arity > 0 && args.length !== arity) || args.length < -arity) {
      this.reject(s, wrongArity(cmd.fullName), cmd);
      return;
    }
    if (!s.authenticated && !cmd.noAuth) {
      this.reject(s, Err.noAuth, cmd);
      return;
    }
    if (s.inPubSubMode && !cmd.pubsubAllowed) {
      this.reject(
        s,
        `ERR Can't execute '${cmd.fullName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
        cmd,
      );
      return;
    }
    for (let i = 0; i < this.gates.length; i++) {
      const refusal = this.gates[i]!(s, cmd, args);
      if (refusal !== null) {
        if (cmd.spec.name === 'exec' && !cmd.parent) {
          // A gate (cluster routing) refusing EXEC discards the transaction and
          // answers plainly (Redis's clusterRedirectClient), not EXECABORT.
          discardTransaction(s);
          s.error(refusal);
          cmd.stat.rejectedCalls++;
        } else this.reject(s, refusal, cmd);
        return;
      }
    }
    const rootName = cmd.parent ? cmd.parent.spec.name : cmd.spec.name;
    if (this.node.config.maxmemoryBytes() > 0) {
      const outOfMemory = !this.evictor();
      if (outOfMemory) {
        let rejectOnOom = cmd.denyoom;
        if (s.inMulti && !MULTI_IMMEDIATE.has(rootName)) rejectOnOom = true;
        if (rootName === 'exec' && s.multiQueue.some((q) => q.cmd.denyoom)) rejectOnOom = true;
        if (rejectOnOom) {
          this.reject(s, Err.oom, cmd);
          return;
        }
      }
    }
    if (this.pauseEndMs !== 0 && this.heldByPause(s, cmd, rootName)) {
      s.parkedArgs = args;
      this.parked.add(s);
      return;
    }
    if (s.inMulti && !MULTI_IMMEDIATE.has(rootName)) {
      if (cmd.noMulti) {
        this.reject(s, `ERR Command not allowed inside a transaction`, cmd);
        return;
      }
      s.multiQueue.push({ cmd, args });
      s.out.simple('QUEUED');
      return;
    }
    this.call(s, cmd, args);
    this.node.blocking.serveReady();
  }

  /** Runs a resolved command with statistics (also used by EXEC for queued commands). */
  call(s: Session, cmd: CompiledCommand, args: string[]): void {
    const run = cmd.spec.run;
    if (!run) throw new Error(`command ${cmd.fullName} has no implementation`);
    const stat = cmd.stat;
    const errorsBefore = this.node.stats.totalErrorReplies;
    if (this.beforeCall) this.beforeCall(s, cmd);
    // Reading the clock twice costs as much as a GET itself, so 'fast' commands
    // are timed one call in FAST_SAMPLE_EVERY (their usec is scaled up); others,
    // and every call while the slow log threshold is low, are always timed.
    const timed = !cmd.fast || this.timeEveryCall || (++this.timingTick & (FAST_SAMPLE_EVERY - 1)) === 0;
    const t0 = timed ? performance.now() : 0;
    try {
      run(s, args);
    } catch (e) {
      if (e instanceof ReplyError) s.error(e.reply);
      else {
        // A bug must not take the node down with every other client on it.
        this.node.logger.error('command failed with an internal error', {
          command: cmd.fullName,
          error: e instanceof Error ? (e.stack ?? e.message) : String(e),
        });
        s.error(`ERR internal error in '${cmd.fullName}': ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    let micros = -1;
    if (timed) {
      micros = (performance.now() - t0) * 1000;
      stat.usec += cmd.fast && !this.timeEveryCall ? micros * FAST_SAMPLE_EVERY : micros;
    }
    stat.calls++;
    if (this.node.stats.totalErrorReplies !== errorsBefore) stat.failedCalls++;
    this.node.stats.totalCommandsProcessed++;
    s.lastCommand = cmd.fullName;
    if (this.afterCall) this.afterCall(s, cmd, args, micros);
  }
}
