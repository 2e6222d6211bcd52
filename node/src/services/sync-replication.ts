// Synchronous replication (cluster-sync-replication yes): a write is
// acknowledged only once a replica in another availability zone has applied
// it. Implemented as a post-command hold, like WAIT: the write runs, its reply
// is cut out of the client's output and parked in the blocking registry until
// a replica outside our zone acknowledges the write's offset; then the reply
// goes out. No ack within cluster-sync-replication-timeout ms: the client gets
// NOREPLICAS and the write's fate is undetermined (it ran here, it may or may
// not reach a replica). A primary with no online replica in another zone
// refuses writes before running them.
//
// Only top-level commands of ordinary clients are held (not the commands EXEC
// runs one by one, not our primary's stream on a replica, not replicas).

import type { NodeState } from '../commands/node-state.js';
import type { Session } from '../commands/session.js';
import type { CompiledCommand } from '../commands/registry.js';
import type { BlockRequest } from './blocking.js';
import type { ReplyWriter } from '../resp/writer.js';
import type { NodeReplication } from '../server/replication-node.js';

export const NOREPLICAS_ERROR = 'NOREPLICAS Not enough good replicas to write.';

interface Pending {
  readonly cmd: CompiledCommand;
  /** Writer position before the command, to cut its reply out. */
  mark: number;
  /** The session's last write offset before the command. */
  offsetBefore: number;
}

class SyncHold implements BlockRequest {
  readonly keys: readonly string[] = [];
  constructor(
    readonly session: Session,
    readonly db: number,
    readonly deadlineMs: number,
    readonly offset: number,
    private readonly reply: Buffer | null,
    private readonly sync: SyncReplication,
  ) {}

  tryServe(): boolean {
    return false;
  }

  /** Woken by an ack (unblock) or by the deadline: the held reply, or NOREPLICAS. */
  onTimeout(w: ReplyWriter): void {
    this.sync.holds.delete(this);
    if (this.sync.ackedOffset() >= this.offset) {
      if (this.reply) w.raw(this.reply);
      this.sync.stats.released++;
    } else {
      w.error(NOREPLICAS_ERROR);
      this.sync.stats.timedOut++;
      this.session.node.stats.totalErrorReplies++;
    }
  }
}

export class SyncReplication {
  readonly holds = new Set<SyncHold>();
  private readonly pending = new Map<Session, Pending>();
  readonly stats = { held: 0, released: 0, timedOut: 0, refused: 0 };

  constructor(
    private readonly node: NodeState,
    private readonly repl: NodeReplication,
  ) {}

  get enabled(): boolean {
    return this.node.config.syncReplication();
  }

  private get zone(): string {
    return this.node.config.get('availability-zone') ?? '';
  }

  /** Highest offset a replica in another zone acknowledged. */
  ackedOffset(): number {
    return this.repl.state.otherZoneAcks(this.zone).offset;
  }

  /** Installs the gate and the before/after hooks on the dispatcher. */
  install(): void {
    const d = this.node.dispatcher;
    d.gates.push((s, cmd) => this.gate(s, cmd));
    const before = d.beforeCall;
    d.beforeCall = (s, cmd) => {
      if (before) before(s, cmd);
      if (this.enabled && this.holdable(s)) this.pending.set(s, { cmd, mark: s.out.mark(), offsetBefore: this.node.propagation.lastWriteOffset(s) });
    };
    const after = d.afterCall;
    d.afterCall = (s, cmd, args, micros) => {
      if (after) after(s, cmd, args, micros);
      const p = this.pending.get(s);
      // EXEC's queued commands pass here too: only the top-level command ends the hold's scope.
      if (p === undefined || p.cmd !== cmd) return;
      this.pending.delete(s);
      this.afterWrite(s, p);
    };
    this.repl.primarySide.onAck = () => this.onAck();
  }

  /** An ordinary client's top-level command on a primary. */
  private holdable(s: Session): boolean {
    return !s.inExec && s.kindFlags === '' && !this.repl.state.isReplica;
  }

  private gate(s: Session, cmd: CompiledCommand): string | null {
    if (!this.enabled || this.repl.state.isReplica || s.kindFlags !== '') return null;
    const root = cmd.parent ?? cmd;
    const writes = root.spec.name === 'exec' ? s.multiQueue.some((q) => q.cmd.write) : cmd.write;
    if (!writes || (s.inMulti && root.spec.name !== 'exec')) return null;
    if (this.repl.state.otherZoneAcks(this.zone).online > 0) return null;
    this.stats.refused++;
    return NOREPLICAS_ERROR;
  }

  private afterWrite(s: Session, p: Pending): void {
    const offset = this.node.propagation.lastWriteOffset(s);
    if (offset <= p.offsetBefore) return; // nothing propagated: nothing to wait for
    if (this.ackedOffset() >= offset) return;
    // Cut this command's reply out of the output; it goes out when a replica has the write.
    const all = s.out.take();
    let reply: Buffer | null = null;
    if (all) {
      reply = all.length > p.mark ? Buffer.from(all.subarray(p.mark)) : null;
      if (p.mark > 0) s.out.raw(all.subarray(0, Math.min(p.mark, all.length)));
    }
    const timeoutMs = this.node.config.getNumber('cluster-sync-replication-timeout');
    const hold = new SyncHold(s, s.dbIndex, timeoutMs > 0 ? s.nowMs + timeoutMs : Infinity, offset, reply, this);
    this.holds.add(hold);
    this.stats.held++;
    this.node.blocking.block(hold);
  }

  private onAck(): void {
    if (this.holds.size === 0) return;
    const acked = this.ackedOffset();
    for (const h of [...this.holds]) {
      if (h.offset <= acked && h.session.blocked !== null) this.node.blocking.unblock(h.session, false);
      else if (h.session.blocked === null) this.holds.delete(h);
    }
  }

  infoLines(): string[] {
    const z = this.repl.state.otherZoneAcks(this.zone);
    return [
      `sync_replication:${this.enabled ? 1 : 0}`,
      `sync_replicas_other_zone:${z.online}`,
      // On a replica: what its primary reported (the bar for running in an election).
      `sync_acked_offset:${this.repl.state.knownAckedOffset(this.zone)}`,
      `sync_writes_held:${this.stats.held}`,
      `sync_writes_released:${this.stats.released}`,
      `sync_writes_timed_out:${this.stats.timedOut}`,
      `sync_writes_refused:${this.stats.refused}`,
      `sync_writes_waiting:${this.holds.size}`,
    ];
  }
}
