// Failover election and voting, as pure machines wired together by a tiny
// scripted network (virtual time, fixed latency, seeded randomness): no core,
// no sockets. Each scenario states the cluster, the fault and the expected
// transcript of phases (election start, votes, promotion).
import assert from 'node:assert/strict';
import {
  DEFAULT_ELECTION_TUNING,
  ReplicaElection,
  cannotFailoverReason,
  dataTooOld,
  electionDelayMs,
  replicaRank,
  syncEligibility,
  type FailoverEffect,
  type FailoverOutput,
  type ReplicaElectionView,
  type SiblingInfo,
} from '../../src/cluster/election.js';
import { Voter, type AuthRequest, type VoterView } from '../../src/cluster/voting.js';
import type { BusMessage, NodeHeader, Outgoing, SlotRange } from '../../src/cluster/types.js';

import { NODE_TIMEOUT_MS, header, id, replicaView, seeded, sib } from '../support/failover-fixtures.js';

// ---------------------------------------------------------------- decisions

describe('failover election: pure decisions', () => {
  it('rank counts failover-capable siblings with more data; equal offsets ordered by id', () => {
    const rows: [string, number, SiblingInfo[], number][] = [
      ['r2', 100, [], 0],
      ['r2', 100, [sib('r3', 90)], 0],
      ['r2', 100, [sib('r3', 110)], 1],
      ['r2', 100, [sib('r1', 100)], 1], // tie, r1 < r2
      ['r2', 100, [sib('r3', 100)], 0], // tie, r2 < r3
      ['r2', 100, [sib('r3', 110, { canFailover: false }), sib('r4', 120)], 1],
      ['r2', 100, [sib('r3', 110), sib('r4', 120), sib('r5', 50)], 2],
    ];
    for (const [me, off, sibs, rank] of rows) assert.equal(replicaRank(id(me), off, sibs), rank, `${me}@${off} vs ${sibs.map((s) => s.replOffset).join(',')}`);
  });

  it('delay = rank x 300 ms + random 0..50 ms', () => {
    assert.equal(electionDelayMs(0, () => 0), 0);
    assert.equal(electionDelayMs(0, () => 0.999999), 50);
    assert.equal(electionDelayMs(1, () => 0), 300);
    assert.equal(electionDelayMs(3, () => 0.5), 925);
    assert.equal(DEFAULT_ELECTION_TUNING.rankStepMs, 300);
  });

  it('validity factor: data age minus node timeout against ping period + timeout x factor', () => {
    const base = { nodeTimeoutMs: 1000, validityFactor: 10, replPingPeriodMs: 10_000 };
    // max age = 10 s + 10 x 1 s = 20 s; age counts from the link going down, less one node timeout.
    assert.equal(dataTooOld({ ...base, primaryLinkDownSinceMs: null }, 1e9).tooOld, false);
    assert.equal(dataTooOld({ ...base, primaryLinkDownSinceMs: 0 }, 21_000).tooOld, false);
    assert.equal(dataTooOld({ ...base, primaryLinkDownSinceMs: 0 }, 21_001).tooOld, true);
    assert.equal(dataTooOld({ ...base, validityFactor: 0, primaryLinkDownSinceMs: 0 }, 1e9).tooOld, false);
  });

  it('sync mode: eligible only holding the highest acknowledged offset known from the primary or reachable siblings', () => {
    const rows: [number, number, SiblingInfo[], boolean, number][] = [
      [100, 100, [], true, 100],
      [90, 100, [], false, 100],
      [90, 0, [sib('r3', 100, { ackedOffsetKnown: 100 })], false, 100],
      [90, 0, [sib('r3', 100, { ackedOffsetKnown: 100, reachable: false })], true, 0],
      [100, 80, [sib('r3', 100, { ackedOffsetKnown: 95 })], true, 95],
    ];
    for (const [mine, primaryAcked, sibs, eligible, required] of rows) {
      assert.deepEqual(syncEligibility(mine, primaryAcked, sibs), { eligible, requiredOffset: required });
    }
  });

  it('reasons not to run: not failed, no slots, nofailover, stale data, sync-behind; manual skips the automatic checks', () => {
    const v = replicaView({});
    assert.equal(cannotFailoverReason(v, 0), null);
    assert.equal(cannotFailoverReason({ ...v, isReplica: false }, 0), 'not-a-replica');
    assert.equal(cannotFailoverReason({ ...v, primary: { ...v.primary!, fail: false } }, 0), 'primary-not-failed');
    assert.equal(cannotFailoverReason({ ...v, primary: { ...v.primary!, slots: [] } }, 0), 'primary-owns-no-slots');
    assert.equal(cannotFailoverReason({ ...v, noFailover: true }, 0), 'nofailover');
    assert.equal(cannotFailoverReason({ ...v, primaryLinkDownSinceMs: 0 }, 60_000), 'data-too-old');
    assert.equal(cannotFailoverReason({ ...v, syncReplication: true, primaryAckedOffset: v.myReplOffset + 1 }, 0), 'sync-behind-acked-offset');
    const manual = { ...v, manualReady: true, primary: { ...v.primary!, fail: false }, noFailover: true, primaryLinkDownSinceMs: 0 };
    assert.equal(cannotFailoverReason(manual, 60_000), null);
  });
});

// -------------------------------------------------------------------- voter

describe('failover voting: grant rules (clusterSendFailoverAuthIfNeeded)', () => {
  const owners = new Map<number, number>([[0, 1], [100, 1], [6000, 2]]);
  function voterView(o: Partial<VoterView> = {}): VoterView {
    return {
      myId: id('p2'), header: header('p2', { currentEpoch: 6 }), isPrimary: true, mySlotCount: 5461, currentEpoch: 6, nodeTimeoutMs: NODE_TIMEOUT_MS,
      ownerConfigEpoch: (slot) => owners.get(slot) ?? null,
      ...o,
    };
  }
  function request(o: Partial<AuthRequest> = {}): AuthRequest {
    return {
      requesterId: id('r1'), replyTo: { id: id('r1'), ip: '127.0.0.1', busPort: 17000 }, requestCurrentEpoch: 6,
      requesterIsReplica: true, requesterPrimaryId: id('p1'), requesterPrimaryFailed: true, force: false,
      claimedSlots: [[0, 100]], claimedConfigEpoch: 1, ...o,
    };
  }

  it('table: each rule refuses on its own', () => {
    const rows: [string, Partial<VoterView>, Partial<AuthRequest>, string][] = [
      ['grants a valid request', {}, {}, 'granted'],
      ['a replica does not vote', { isPrimary: false }, {}, 'not-a-voter'],
      ['a primary without slots does not vote', { mySlotCount: 0 }, {}, 'not-a-voter'],
      ['older epoch', {}, { requestCurrentEpoch: 5 }, 'stale-epoch'],
      ['requester is a primary', {}, { requesterIsReplica: false }, 'not-a-replica'],
      ['requester primary unknown', {}, { requesterPrimaryId: '' }, 'not-a-replica'],
      ['primary not FAIL', {}, { requesterPrimaryFailed: false }, 'primary-not-failed'],
      ['primary not FAIL but forced (manual)', {}, { requesterPrimaryFailed: false, force: true }, 'granted'],
      ['claimed slot owned with a newer configEpoch', {}, { claimedSlots: [[5999, 6000]] }, 'stale-slots'],
      ['claimed slots unassigned or older', {}, { claimedSlots: [[200, 300]], claimedConfigEpoch: 1 }, 'granted'],
    ];
    for (const [what, vo, ro, outcome] of rows) {
      const voter = new Voter(0);
      const res = voter.decide(voterView(vo), request(ro), 0);
      assert.equal(res.outcome, outcome, what);
      const acked = res.out.some((x) => x.msg.kind === 'failover-auth-ack');
      assert.equal(acked, outcome === 'granted', `${what}: ack sent`);
      assert.equal(voter.lastVoteEpoch, outcome === 'granted' ? 6 : 0, `${what}: lastVoteEpoch`);
      if (outcome === 'granted') assert.ok(res.effects.some((e) => e.kind === 'save-config'), 'the vote is persisted');
    }
  });

  it('one vote per epoch; the same requester is re-acked (re-sent request), another is refused', () => {
    const voter = new Voter(0);
    assert.equal(voter.decide(voterView(), request(), 0).outcome, 'granted');
    const again = voter.decide(voterView(), request(), 50);
    assert.equal(again.outcome, 're-acked');
    assert.equal(again.out.length, 1);
    assert.equal(voter.decide(voterView(), request({ requesterId: id('r9'), requesterPrimaryId: id('p9') }), 60).outcome, 'already-voted');
  });

  it('not twice for the same shard within 2 x node timeout, even in a newer epoch', () => {
    const voter = new Voter(0);
    assert.equal(voter.decide(voterView(), request(), 1000).outcome, 'granted');
    const v7 = voterView({ currentEpoch: 7 });
    const r2 = request({ requesterId: id('r2'), requestCurrentEpoch: 7 });
    assert.equal(voter.decide(v7, r2, 1000 + 2 * NODE_TIMEOUT_MS - 1).outcome, 'shard-voted-recently');
    // Another shard is fine meanwhile.
    assert.equal(voter.decide(v7, request({ requesterId: id('r5'), requesterPrimaryId: id('p5'), requestCurrentEpoch: 7 }), 1500).outcome, 'granted');
    const v8 = voterView({ currentEpoch: 8 });
    assert.equal(voter.decide(v8, { ...r2, requestCurrentEpoch: 8 }, 1000 + 2 * NODE_TIMEOUT_MS).outcome, 'granted');
  });

  it('asserts the core raised currentEpoch from the request first, and epochs never go back', () => {
    const voter = new Voter(0);
    assert.throws(() => voter.decide(voterView({ currentEpoch: 5 }), request({ requestCurrentEpoch: 6 }), 0), /raised currentEpoch/);
    assert.throws(() => new Voter(9).decide(voterView(), request(), 0), /lastVoteEpoch <= currentEpoch/);
  });
});

// -------------------------------------------------- a scripted mini cluster

interface PrimarySim {
  readonly name: string;
  readonly voter: Voter;
  currentEpoch: number;
  /** Which nodes this primary sees FAIL. */
  readonly failed: Set<string>;
}

interface ReplicaSim {
  readonly name: string;
  readonly election: ReplicaElection;
  currentEpoch: number;
  offset: number;
  primary: string;
  noFailover: boolean;
  linkDownSinceMs: number | null;
  /** What this replica believes about its siblings' offsets (may be stale). */
  siblingOffsets: Map<string, number>;
  /** Does this replica see its primary FAIL yet? */
  seesFail: boolean;
}

interface LogLine {
  readonly atMs: number;
  readonly node: string;
  readonly name: string;
  readonly fields: Readonly<Record<string, string | number>>;
}

/**
 * Primaries p1..pN own slots (p1 owns [0, 5460] at configEpoch 1); replicas
 * of p1 run elections. Messages arrive after latencyMs; replicas tick every
 * tickMs. Promotion updates everyone's table at once (the broadcast pong).
 */
class MiniCluster {
  nowMs = 0;
  readonly primaries = new Map<string, PrimarySim>();
  readonly replicas = new Map<string, ReplicaSim>();
  readonly log: LogLine[] = [];
  readonly promotions: { node: string; epoch: number; atMs: number }[] = [];
  private queue: { atMs: number; from: string; to: string; msg: BusMessage }[] = [];
  readonly configEpochs = new Map<string, number>();
  slotOwner = 'p1';
  /** Links that drop everything (from>to). */
  readonly cut = new Set<string>();
  readonly random: () => number;

  constructor(primaryNames: string[], replicaOffsets: Record<string, number>, opts: { seed?: number; latencyMs?: number; tickMs?: number } = {}) {
    this.random = seeded(opts.seed ?? 1);
    this.latencyMs = opts.latencyMs ?? 1;
    this.tickMs = opts.tickMs ?? 10;
    for (const n of primaryNames) {
      this.primaries.set(n, { name: n, voter: new Voter(0), currentEpoch: primaryNames.length, failed: new Set() });
      this.configEpochs.set(n, primaryNames.indexOf(n) + 1);
    }
    for (const [n, off] of Object.entries(replicaOffsets)) {
      const siblingOffsets = new Map(Object.entries(replicaOffsets).filter(([m]) => m !== n));
      this.replicas.set(n, { name: n, election: new ReplicaElection(), currentEpoch: primaryNames.length, offset: off, primary: 'p1', noFailover: false, linkDownSinceMs: null, siblingOffsets, seesFail: false });
    }
  }
  readonly latencyMs: number;
  readonly tickMs: number;

  kill(name: string): void {
    for (const other of [...this.primaries.keys(), ...this.replicas.keys()]) {
      this.cut.add(`${name}>${other}`);
      this.cut.add(`${other}>${name}`);
    }
  }

  /** FAIL of p1 reaches these nodes now. */
  fail(names: string[]): void {
    for (const n of names) {
      const p = this.primaries.get(n);
      if (p) p.failed.add('p1');
      const r = this.replicas.get(n);
      if (r) r.seesFail = true;
    }
  }

  view(r: ReplicaSim): ReplicaElectionView {
    // Every slot-owning primary, the failed p1 included until the promotion replaces it.
    const alive = [...this.primaries.keys()];
    return replicaView({
      myId: id(r.name),
      header: header(r.name, { flags: ['slave'], primaryId: id(r.primary), currentEpoch: r.currentEpoch, replOffset: r.offset }),
      isReplica: r.primary !== '',
      noFailover: r.noFailover,
      currentEpoch: r.currentEpoch,
      primary: r.primary === '' ? null : { id: id(r.primary), fail: r.seesFail && r.primary === 'p1', failTimeMs: 0, configEpoch: this.configEpochs.get(r.primary) ?? 0, slots: [[0, 5460]] },
      myReplOffset: r.offset,
      siblings: [...r.siblingOffsets].map(([n, off]) => sib(n, off)),
      slotOwningPrimaries: alive.map((n) => ({ id: id(n), ip: '127.0.0.1', busPort: 17000 })),
      primaryLinkDownSinceMs: r.linkDownSinceMs,
    });
  }

  private apply(node: string, o: FailoverOutput): void {
    for (const e of o.effects) this.effect(node, e);
    for (const x of o.out) this.send(node, x);
  }

  private send(from: string, x: Outgoing): void {
    const to = [...this.primaries.keys(), ...this.replicas.keys()].find((n) => id(n) === x.to.id);
    assert.ok(to, 'message to a known node');
    if (this.cut.has(`${from}>${to}`)) return;
    this.queue.push({ atMs: this.nowMs + this.latencyMs, from, to, msg: x.msg });
  }

  private effect(node: string, e: FailoverEffect): void {
    switch (e.kind) {
      case 'event':
        this.log.push({ atMs: this.nowMs, node, name: e.name, fields: e.fields });
        return;
      case 'set-current-epoch': {
        const r = this.replicas.get(node)!;
        assert.ok(e.epoch >= r.currentEpoch, 'epochs never go back');
        r.currentEpoch = e.epoch;
        return;
      }
      case 'promote-self': {
        this.promotions.push({ node, epoch: e.configEpoch, atMs: this.nowMs });
        // The broadcast pong: everyone learns the new owner and its configEpoch.
        this.slotOwner = node;
        this.configEpochs.set(node, e.configEpoch);
        const winner = this.replicas.get(node)!;
        winner.primary = '';
        this.replicas.delete(node);
        this.primaries.set(node, { name: node, voter: new Voter(0), currentEpoch: winner.currentEpoch, failed: new Set() });
        for (const r of this.replicas.values()) {
          r.primary = node;
          r.seesFail = false;
          r.siblingOffsets.delete(node);
        }
        this.primaries.delete('p1');
        return;
      }
      default:
        return;
    }
  }

  private deliver(m: { from: string; to: string; msg: BusMessage }): void {
    const p = this.primaries.get(m.to);
    if (p && m.msg.kind === 'failover-auth-request') {
      const h = m.msg.header;
      p.currentEpoch = Math.max(p.currentEpoch, h.currentEpoch);
      const requester = this.replicas.get(m.from);
      const requesterPrimary = requester?.primary ?? '';
      const v: VoterView = {
        myId: id(p.name), header: header(p.name, { currentEpoch: p.currentEpoch }), isPrimary: true, mySlotCount: 1, currentEpoch: p.currentEpoch,
        nodeTimeoutMs: NODE_TIMEOUT_MS, ownerConfigEpoch: (slot) => (slot <= 5460 ? this.configEpochs.get(this.slotOwner) ?? 0 : 99),
      };
      const res = p.voter.decide(v, {
        requesterId: id(m.from), replyTo: { id: id(m.from), ip: '', busPort: 0 }, requestCurrentEpoch: h.currentEpoch,
        requesterIsReplica: h.flags.includes('slave'), requesterPrimaryId: requesterPrimary === '' ? '' : id(requesterPrimary),
        requesterPrimaryFailed: p.failed.has(requesterPrimary), force: m.msg.force,
        claimedSlots: h.slots ?? [], claimedConfigEpoch: this.configEpochs.get(requesterPrimary) ?? 0,
      }, this.nowMs);
      this.apply(p.name, res);
      return;
    }
    const r = this.replicas.get(m.to);
    if (r && m.msg.kind === 'failover-auth-ack') {
      r.currentEpoch = Math.max(r.currentEpoch, m.msg.header.currentEpoch);
      this.apply(r.name, r.election.onAuthAck(id(m.from), m.msg.header.currentEpoch, this.view(r), this.nowMs));
    }
  }

  run(untilMs: number): void {
    while (this.nowMs < untilMs) {
      this.nowMs += 1;
      const due = this.queue.filter((q) => q.atMs <= this.nowMs);
      this.queue = this.queue.filter((q) => q.atMs > this.nowMs);
      for (const m of due) this.deliver(m);
      if (this.nowMs % this.tickMs === 0) for (const r of [...this.replicas.values()]) if (this.replicas.has(r.name)) this.apply(r.name, r.election.tick(this.view(r), this.nowMs, this.random));
    }
  }

  names(): string[] {
    return this.log.map((l) => `${l.node} ${l.name}`);
  }
}

describe('failover election: scenarios', () => {
  it('single replica: FAIL -> election start within 50 ms -> majority of slot owners -> promotion with configEpoch currentEpoch + 1', () => {
    const c = new MiniCluster(['p1', 'p2', 'p3'], { r1: 100 });
    c.kill('p1');
    c.fail(['p2', 'p3', 'r1']);
    c.run(300);
    assert.equal(c.promotions.length, 1);
    const p = c.promotions[0]!;
    assert.equal(p.node, 'r1');
    assert.equal(p.epoch, 4, 'currentEpoch 3 + 1');
    assert.ok(p.atMs <= 50 + 10 + 2, `promoted ${p.atMs} ms after FAIL`);
    assert.deepEqual(c.names().filter((n) => n.startsWith('r1')), ['r1 election-scheduled', 'r1 election-start', 'r1 election-vote', 'r1 election-vote', 'r1 promotion']);
  });

  it('two replicas racing: the one with the higher offset starts first and wins; the other never runs', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const c = new MiniCluster(['p1', 'p2', 'p3'], { r1: 90, r2: 100 }, { seed });
      c.kill('p1');
      c.fail(['p2', 'p3', 'r1', 'r2']);
      c.run(3000);
      assert.deepEqual(c.promotions.map((p) => p.node), ['r2'], `seed ${seed}`);
      assert.ok(!c.log.some((l) => l.node === 'r1' && l.name === 'election-start'), `seed ${seed}: r1 waited its 300 ms and saw the new primary`);
    }
  });

  it('the best replica is dead: the next one runs one rank step later', () => {
    const c = new MiniCluster(['p1', 'p2', 'p3'], { r1: 90, r2: 100 });
    c.kill('p1');
    c.kill('r2');
    c.fail(['p2', 'p3', 'r1']);
    // r2 is dead but r1 does not know it yet (canFailover true): it waits rank 1.
    c.run(1000);
    assert.deepEqual(c.promotions.map((p) => p.node), ['r1']);
    assert.ok(c.promotions[0]!.atMs >= 300 && c.promotions[0]!.atMs <= 300 + 50 + 20, `at ${c.promotions[0]!.atMs}`);
  });

  it('voters that have not seen FAIL yet vote on a re-sent request, in the same epoch (no 2 x timeout retry)', () => {
    const c = new MiniCluster(['p1', 'p2', 'p3', 'p4', 'p5'], { r1: 100 });
    c.kill('p1');
    c.fail(['p2', 'r1']); // p3..p5 learn FAIL 120 ms later
    c.run(120);
    assert.equal(c.promotions.length, 0);
    assert.ok(c.log.some((l) => l.name === 'vote-denied' && l.fields['reason'] === 'primary-not-failed'));
    c.fail(['p3', 'p4', 'p5']);
    c.run(400);
    assert.equal(c.promotions.length, 1);
    assert.equal(c.promotions[0]!.epoch, 6, 'one epoch: the first attempt won');
    assert.ok(c.promotions[0]!.atMs <= 120 + 100 + 10 + 2, `promoted at ${c.promotions[0]!.atMs}`);
  });

  it('votes split between two replicas that both think they rank first: no winner, retry after 2 x node timeout, then exactly one wins', () => {
    // Both believe the other has offset 0 (stale view) and both start at once.
    let split = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const c = new MiniCluster(['p1', 'p2', 'p3', 'p4', 'p5'], { r1: 100, r2: 100 }, { seed });
      for (const r of c.replicas.values()) for (const k of r.siblingOffsets.keys()) r.siblingOffsets.set(k, 0);
      // r1 reaches p2, p3 first; r2 reaches p4, p5 first: a 2/2 split of 5 (quorum 3).
      c.cut.add('r1>p4').add('r1>p5').add('r2>p2').add('r2>p3');
      c.kill('p1');
      c.fail(['p2', 'p3', 'p4', 'p5', 'r1', 'r2']);
      c.run(1000);
      const starts = c.log.filter((l) => l.name === 'election-start').length;
      if (c.promotions.length === 0 && starts === 2) {
        split++;
        c.cut.clear();
        c.kill('p1');
        c.run(6000);
        assert.equal(c.promotions.length, 1, `seed ${seed}: exactly one winner after the retry`);
        assert.ok(c.log.some((l) => l.name === 'election-timeout'), `seed ${seed}`);
        assert.ok(c.promotions[0]!.atMs >= 2 * NODE_TIMEOUT_MS, `seed ${seed}: retry waits out the voters' window`);
      }
      assert.ok(c.promotions.length <= 1, `seed ${seed}: never two winners`);
    }
    assert.ok(split > 0, 'the split happened in some seeds');
  });

  it('stale replica (link down too long for the validity factor) does not run; a fresh sibling does', () => {
    const c = new MiniCluster(['p1', 'p2', 'p3'], { r1: 100, r2: 90 });
    c.replicas.get('r1')!.linkDownSinceMs = -60_000;
    c.replicas.get('r2')!.siblingOffsets.set('r1', 0); // r1 cannot win: treat as no competition
    c.kill('p1');
    c.fail(['p2', 'p3', 'r1', 'r2']);
    c.run(1000);
    assert.ok(c.log.some((l) => l.node === 'r1' && l.name === 'election-refused' && l.fields['reason'] === 'data-too-old'));
    assert.deepEqual(c.promotions.map((p) => p.node), ['r2']);
  });

  it('a lost vote from an older attempt does not count for a newer one', () => {
    const e = new ReplicaElection();
    const v = replicaView({});
    e.tick(v, 0, () => 0);
    assert.equal(e.attemptEpoch, 6);
    assert.equal(e.onAuthAck(id('p2'), 5, v, 1).effects.length, 0, 'ack with an older epoch ignored');
    assert.equal(e.onAuthAck(id('zz'), 6, v, 1).effects.length, 0, 'ack from a non-voter ignored');
    e.onAuthAck(id('p2'), 6, v, 1);
    e.onAuthAck(id('p2'), 6, v, 2);
    assert.equal(e.votes, 1, 'one vote per primary');
    const promoted = e.onAuthAck(id('p3'), 6, v, 3);
    assert.ok(promoted.effects.some((x) => x.kind === 'promote-self' && x.configEpoch === 6));
  });

  it('requests go to every slot-owning primary but the failed one, with the epoch and the claimed slots; re-sent only to those that have not acked', () => {
    const e = new ReplicaElection();
    const v = replicaView({});
    const o = e.tick(v, 0, () => 0);
    assert.deepEqual(o.out.map((x) => x.to.id), [id('p2'), id('p3')]);
    const m = o.out[0]!.msg;
    assert.ok(m.kind === 'failover-auth-request' && m.header.currentEpoch === 6 && !m.force);
    assert.deepEqual(m.kind === 'failover-auth-request' ? m.header.slots : null, [[0, 5460]] as SlotRange[]);
    // The first re-send comes after 10 ms (a voter may get our request before
    // the FAIL broadcast), the next ones every 100 ms.
    assert.equal(e.wakeAtMs(), 10);
    e.onAuthAck(id('p2'), 6, v, 5);
    assert.deepEqual(e.tick(v, 9, () => 0).out.length, 0, 'not before the first re-send');
    assert.deepEqual(e.tick(v, 10, () => 0).out.map((x) => x.to.id), [id('p3')]);
    assert.equal(e.wakeAtMs(), 110);
    assert.deepEqual(e.tick(v, 60, () => 0).out.length, 0, 'not before the re-send interval');
    assert.deepEqual(e.tick(v, 110, () => 0).out.map((x) => x.to.id), [id('p3')]);
  });

  it('a rank that worsens while waiting pushes the start back by the rank step', () => {
    const e = new ReplicaElection();
    const v = replicaView({ siblings: [sib('r2', 10)] });
    e.tick(v, 0, () => 0.99);
    const start0 = e.wakeAtMs()!;
    assert.equal(start0, 50);
    const o = e.tick({ ...v, siblings: [sib('r2', 5000)] }, 20, () => 0);
    assert.ok(o.effects.some((x) => x.kind === 'event' && x.name === 'election-rank-changed'));
    assert.equal(e.wakeAtMs(), 350);
  });

  it('aborts when the primary is no longer FAIL (it came back), and resets for a new primary', () => {
    const e = new ReplicaElection();
    const v = replicaView({});
    e.tick(v, 0, () => 0);
    assert.equal(e.state, 'requesting');
    const o = e.tick({ ...v, primary: { ...v.primary!, fail: false } }, 10, () => 0);
    assert.equal(e.state, 'idle');
    assert.ok(o.effects.some((x) => x.kind === 'event' && x.name === 'election-aborted'));
  });

  it('epochs never go back: a view whose currentEpoch is below the primary configEpoch is a bug', () => {
    const e = new ReplicaElection();
    assert.throws(() => e.tick(replicaView({ currentEpoch: 0 }), 0, () => 0), /currentEpoch >= primary configEpoch/);
  });
});

describe('failover election: sync mode', () => {
  it('only a replica holding the highest acknowledged offset it can see runs; the behind one waits even when its rank says go', () => {
    const e = new ReplicaElection();
    const behind = replicaView({ syncReplication: true, myReplOffset: 90, siblings: [sib('r0', 100, { ackedOffsetKnown: 100 })] });
    const o = e.tick(behind, 0, () => 0);
    assert.equal(o.out.length, 0);
    assert.ok(o.effects.some((x) => x.kind === 'event' && x.fields['reason'] === 'sync-behind-acked-offset'));
    // The better sibling is unreachable (its zone is cut off): what it acknowledged is not known here.
    const alone = { ...behind, siblings: [sib('r0', 100, { ackedOffsetKnown: 100, reachable: false, canFailover: false })] };
    assert.equal(e.tick(alone, 10, () => 0).out.length, 2);
  });

  it('the primary told us of an acked offset we lack: we do not run', () => {
    const e = new ReplicaElection();
    assert.equal(e.tick(replicaView({ syncReplication: true, myReplOffset: 90, primaryAckedOffset: 95 }), 0, () => 0).out.length, 0);
    assert.equal(e.tick(replicaView({ syncReplication: true, myReplOffset: 95, primaryAckedOffset: 95 }), 10, () => 0).out.length, 2);
  });
});
