// CLUSTER FAILOVER default / FORCE / TAKEOVER, replica migration and the
// follow-the-new-owner rule, as pure machines driven by hand.
import assert from 'node:assert/strict';
import { ReplicaElection, type FailoverOutput } from '../../src/cluster/election.js';
import { MF_TIMEOUT_MS, ManualFailoverPrimary, ManualFailoverReplica, type ManualReplicaView } from '../../src/cluster/manual-failover.js';
import { ORPHAN_DELAY_MS, ReplicaMigration, followAfterSlotLoss, type MigrationNode, type MigrationView } from '../../src/cluster/replica-migration.js';
import { Voter } from '../../src/cluster/voting.js';
import { header, id, replicaView } from '../support/failover-fixtures.js';

function mfView(o: Partial<ManualReplicaView> = {}): ManualReplicaView {
  return {
    myId: id('r1'),
    header: header('r1', { flags: ['slave'], primaryId: id('p1'), currentEpoch: 5 }),
    isReplica: true,
    currentEpoch: 5,
    myReplOffset: 480,
    primary: { id: id('p1'), target: { id: id('p1'), ip: '127.0.0.1', busPort: 17000 }, fail: false, linkConnected: true, configEpoch: 1, slots: [[0, 5460]] },
    ...o,
  };
}

function eventNames(o: FailoverOutput): string[] {
  return o.effects.flatMap((e) => (e.kind === 'event' ? [e.name] : []));
}

describe('manual failover: CLUSTER FAILOVER (default)', () => {
  it('pauses the primary, waits for the paused offset, then elects with forced votes: nothing is lost', () => {
    const replica = new ManualFailoverReplica();
    const primary = new ManualFailoverPrimary();
    const started = replica.start('default', mfView(), 0);
    assert.equal(started.error, null);
    assert.deepEqual(started.out.map((x) => [x.to.id, x.msg.kind]), [[id('p1'), 'mfstart']]);

    // The primary pauses writes at offset 500 and answers with that offset.
    const p = primary.onMfStart(id('r1'), true, { id: id('r1'), ip: '', busPort: 0 }, header('p1', { replOffset: 123 }), 500, 5);
    assert.ok(p.effects.some((e) => e.kind === 'pause-writes' && e.untilMs === 5 + 2 * MF_TIMEOUT_MS));
    const answer = p.out[0]!.msg;
    assert.ok(answer.kind === 'mfstart' && answer.header.replOffset === 500, 'the answer carries the offset at the pause');
    // A re-sent mfstart is answered again without a second pause.
    const again = primary.onMfStart(id('r1'), true, { id: id('r1'), ip: '', busPort: 0 }, header('p1'), 500, 60);
    assert.equal(again.effects.filter((e) => e.kind === 'pause-writes').length, 0);
    assert.equal(again.out.length, 1);

    replica.onPrimaryPaused(id('p1'), 500, 6);
    assert.equal(replica.state, 'catching-up');
    replica.tick(mfView({ myReplOffset: 499 }), 50);
    assert.equal(replica.readyToElect, false, 'not before the last byte arrived');
    replica.tick(mfView({ myReplOffset: 500 }), 60);
    assert.equal(replica.readyToElect, true);

    // The election runs at once, forced, to every slot owner including the (alive) primary.
    const e = new ReplicaElection();
    const v = replicaView({ manualReady: true, primary: { id: id('p1'), fail: false, failTimeMs: 0, configEpoch: 1, slots: [[0, 5460]] } });
    const o = e.tick(v, 60, () => 0.9);
    assert.deepEqual(o.out.map((x) => x.to.id), [id('p1'), id('p2'), id('p3')]);
    assert.ok(o.out.every((x) => x.msg.kind === 'failover-auth-request' && x.msg.force));
    // Voters grant although p1 is not FAIL (forced).
    const voter = new Voter(0);
    const decided = voter.decide(
      { myId: id('p2'), header: header('p2', { currentEpoch: 6 }), isPrimary: true, mySlotCount: 1, currentEpoch: 6, nodeTimeoutMs: 1000, ownerConfigEpoch: () => 1 },
      { requesterId: id('r1'), replyTo: { id: id('r1'), ip: '', busPort: 0 }, requestCurrentEpoch: 6, requesterIsReplica: true, requesterPrimaryId: id('p1'), requesterPrimaryFailed: false, force: true, claimedSlots: [[0, 10]], claimedConfigEpoch: 1 },
      61,
    );
    assert.equal(decided.outcome, 'granted');
    e.onAuthAck(id('p2'), 6, v, 62);
    const won = e.onAuthAck(id('p3'), 6, v, 62);
    assert.ok(won.effects.some((x) => x.kind === 'promote-self' && x.manual && x.configEpoch === 6));

    // The replica sees itself a primary: done. The old primary, demoted, resumes (writes now get MOVED).
    assert.deepEqual(eventNames(replica.tick(mfView({ isReplica: false }), 70)), ['manual-failover-done']);
    assert.ok(primary.onDemoted().effects.some((x) => x.kind === 'resume-writes'));
    assert.equal(primary.paused, false);
  });

  it('refusals with Redis replies', () => {
    const r = new ManualFailoverReplica();
    assert.equal(r.start('default', mfView({ isReplica: false }), 0).error, 'ERR You should send CLUSTER FAILOVER to a replica');
    assert.equal(r.start('force', mfView({ primary: null }), 0).error, "ERR I'm a replica but my master is unknown to me");
    const down = mfView({ primary: { ...mfView().primary!, fail: true } });
    assert.equal(r.start('default', down, 0).error, 'ERR Master is down or failed, please use CLUSTER FAILOVER FORCE');
    assert.equal(r.start('force', down, 0).error, null);
  });

  it('re-sends mfstart every 100 ms until the primary answers, and aborts after the manual failover timeout', () => {
    const r = new ManualFailoverReplica();
    r.start('default', mfView(), 0);
    assert.equal(r.tick(mfView(), 50).out.length, 0);
    assert.equal(r.tick(mfView(), 100).out.length, 1);
    assert.deepEqual(eventNames(r.tick(mfView(), MF_TIMEOUT_MS + 1)), ['manual-failover-aborted']);
    assert.equal(r.state, 'idle');
  });

  it('the primary ignores mfstart from a node that is not its replica and resumes writes when the pause expires', () => {
    const p = new ManualFailoverPrimary();
    assert.equal(p.onMfStart(id('x'), false, { id: id('x'), ip: '', busPort: 0 }, header('p1'), 10, 0).out.length, 0);
    p.onMfStart(id('r1'), true, { id: id('r1'), ip: '', busPort: 0 }, header('p1'), 10, 0);
    assert.equal(p.tick(2 * MF_TIMEOUT_MS).effects.length, 0);
    assert.ok(p.tick(2 * MF_TIMEOUT_MS + 1).effects.some((e) => e.kind === 'resume-writes'));
  });

  it('an mfstart from someone other than our primary does not count as the pause', () => {
    const r = new ManualFailoverReplica();
    r.start('default', mfView(), 0);
    r.onPrimaryPaused(id('p9'), 500, 1);
    assert.equal(r.state, 'awaiting-pause');
  });
});

describe('manual failover: FORCE and TAKEOVER', () => {
  it('FORCE: ready at once, no handshake with the primary', () => {
    const r = new ManualFailoverReplica();
    const o = r.start('force', mfView({ primary: { ...mfView().primary!, fail: true, linkConnected: false } }), 0);
    assert.equal(o.out.length, 0);
    assert.equal(r.readyToElect, true);
  });

  it('TAKEOVER: bumps the epoch and promotes without any vote', () => {
    const r = new ManualFailoverReplica();
    const o = r.start('takeover', mfView(), 0);
    assert.equal(o.out.length, 0, 'no messages: no votes');
    assert.deepEqual(o.effects.filter((e) => e.kind !== 'event'), [
      { kind: 'set-current-epoch', epoch: 6 },
      { kind: 'promote-self', configEpoch: 6, oldPrimaryId: id('p1'), slots: [[0, 5460]], manual: true },
      { kind: 'save-config' },
    ]);
  });
});

function mnode(name: string, o: Partial<MigrationNode> = {}): MigrationNode {
  return { id: id(name), isPrimary: true, slotCount: 0, failed: false, primaryId: '', zone: 'a', ...o };
}

describe('replica migration (cluster-migration-barrier)', () => {
  // p1 has r1a, r1b; p2 had r2 which died.
  function view(o: Partial<MigrationView> = {}, r2failed = true): MigrationView {
    return {
      myId: id('r1a'), clusterOk: true, migrationBarrier: 1, allowReplicaMigration: true,
      nodes: [
        mnode('p1', { slotCount: 100, zone: 'a' }),
        mnode('p2', { slotCount: 100, zone: 'b' }),
        mnode('r1a', { isPrimary: false, primaryId: id('p1'), zone: 'b' }),
        mnode('r1b', { isPrimary: false, primaryId: id('p1'), zone: 'c' }),
        mnode('r2', { isPrimary: false, primaryId: id('p2'), zone: 'c', failed: r2failed }),
      ],
      ...o,
    };
  }

  it('the smallest-id replica of the best-provided shard moves to the orphan after the orphan delay', () => {
    const m = new ReplicaMigration();
    assert.equal(m.tick(view(), 0).effects.length, 0);
    assert.equal(m.tick(view(), ORPHAN_DELAY_MS).effects.length, 0, 'not before the delay');
    const o = m.tick(view(), ORPHAN_DELAY_MS + 1);
    assert.deepEqual(o.effects[0], { kind: 'become-replica-of', primaryId: id('p2'), reason: 'replica-migration' });
    const other = new ReplicaMigration();
    other.tick(view({ myId: id('r1b') }), 0);
    assert.equal(other.tick(view({ myId: id('r1b') }), ORPHAN_DELAY_MS + 1).effects.length, 0, 'r1b is not the candidate');
  });

  it('the barrier: a primary with only barrier replicas keeps them; the orphan clock restarts when a replica returns', () => {
    const m = new ReplicaMigration();
    m.tick(view({ migrationBarrier: 2 }), 0);
    assert.equal(m.tick(view({ migrationBarrier: 2 }), ORPHAN_DELAY_MS + 1).effects.length, 0);
    const n = new ReplicaMigration();
    n.tick(view(), 0);
    n.tick(view({}, false), 3000); // r2 is back: p2 not orphaned
    assert.equal(n.tick(view(), ORPHAN_DELAY_MS + 1).effects.length, 0, 'orphaned again only since 5001');
  });

  it('no migration while the cluster is down, when disallowed, or to a primary that never had a replica', () => {
    for (const o of [{ clusterOk: false }, { allowReplicaMigration: false }]) {
      const m = new ReplicaMigration();
      m.tick(view(o), 0);
      assert.equal(m.tick(view(o), ORPHAN_DELAY_MS + 1).effects.length, 0);
    }
    const m = new ReplicaMigration();
    const never = view({ nodes: view().nodes.filter((n) => n.id !== id('r2')) });
    m.tick(never, 0);
    assert.equal(m.tick(never, ORPHAN_DELAY_MS + 1).effects.length, 0);
  });
});

describe('following the new owner after a slot loss', () => {
  const base = { myId: id('p1'), amPrimary: true, myPrimaryId: '', shardSlotsLeft: 0, slotsTakenFromShard: 5461, claimerId: id('r1'), claimerSlotCount: 5461, allowReplicaMigration: false };
  it('table', () => {
    const rows: [string, Partial<typeof base>, string | null][] = [
      ['old primary back after a failover: replicate the winner', {}, id('r1')],
      ['keeps some slots: stays a primary', { shardSlotsLeft: 10 }, null],
      ['nothing taken', { slotsTakenFromShard: 0 }, null],
      ['replica of the emptied primary follows the winner', { amPrimary: false, myId: id('r2'), myPrimaryId: id('p1') }, id('r1')],
      ['emptied by a resharding to a bigger owner, migration not allowed', { claimerSlotCount: 9000 }, null],
      ['emptied by a resharding, migration allowed', { claimerSlotCount: 9000, allowReplicaMigration: true }, id('r1')],
      ['already replicating the claimer', { amPrimary: false, myId: id('r2'), myPrimaryId: id('r1') }, null],
    ];
    for (const [what, o, expected] of rows) {
      const eff = followAfterSlotLoss({ ...base, ...o }).effects.find((e) => e.kind === 'become-replica-of');
      assert.equal(eff && eff.kind === 'become-replica-of' ? eff.primaryId : null, expected, what);
    }
  });
});
