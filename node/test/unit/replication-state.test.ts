import assert from 'node:assert/strict';
import { NO_REPLID, ReplicationState, ZERO_REPLID } from '../../src/replication/state.js';

function ids(): () => string {
  let n = 0;
  return () => String(++n).padStart(40, '0');
}

function stream(st: ReplicationState, bytes: number): void {
  st.feed(Buffer.alloc(bytes, 0x61));
}

describe('replication state: offsets and psync', () => {
  it('a primary without replicas keeps no backlog and no offset', () => {
    const st = new ReplicationState(ids(), 100);
    stream(st, 50);
    assert.equal(st.offset, 0);
    assert.equal(st.streaming, false);
  });

  it('first replica: full sync with a fresh id, then offsets count stream bytes', () => {
    const st = new ReplicationState(ids(), 100);
    const before = st.replid;
    const d = st.decideSync(NO_REPLID, -1);
    assert.equal(d.kind, 'full');
    assert.notEqual(d.replid, before, 'a backlog started from nothing takes a new id');
    assert.equal(d.offset, 0);
    assert.deepEqual(st.stats, { syncFull: 1, syncPartialOk: 0, syncPartialErr: 0 });
    stream(st, 30);
    assert.equal(st.offset, 30);
  });

  it('partial resync when the id matches and the backlog holds the offset', () => {
    const st = new ReplicationState(ids(), 100);
    st.decideSync(NO_REPLID, -1);
    st.addReplica('r1', '127.0.0.1', 1, 'online', 0, 0);
    stream(st, 80);
    const ok = st.decideSync(st.replid, 40);
    assert.deepEqual(ok, { kind: 'continue', replid: st.replid, offset: 40 });
    // Up to date is a partial resync with nothing to send.
    assert.equal(st.decideSync(st.replid, 80).kind, 'continue');
    // The future is not ours to continue from.
    assert.equal(st.decideSync(st.replid, 81).kind, 'full');
    stream(st, 80); // holds 60..160
    const tooOld = st.decideSync(st.replid, 59);
    assert.equal(tooOld.kind, 'full');
    assert.equal(st.decideSync(st.replid, 60).kind, 'continue');
    assert.equal(st.decideSync('f'.repeat(40), 100).kind, 'full');
    assert.deepEqual(st.stats, { syncFull: 4, syncPartialOk: 3, syncPartialErr: 3 });
  });

  it('a promoted replica continues its siblings under the old id up to the fork', () => {
    const st = new ReplicationState(ids(), 1000);
    st.becomeReplica('h', 1, 0);
    st.beginFullSync('a'.repeat(40), 500);
    stream(st, 100);
    assert.equal(st.offset, 600);
    st.becomePrimary();
    assert.equal(st.replid2, 'a'.repeat(40));
    assert.equal(st.secondReplidOffset, 600);
    assert.notEqual(st.replid, 'a'.repeat(40));
    stream(st, 10);
    const sibling = st.decideSync('a'.repeat(40), 600);
    assert.deepEqual(sibling, { kind: 'continue', replid: st.replid, offset: 600 });
    // A sibling that claims history past the fork under the old id diverged.
    assert.equal(st.decideSync('a'.repeat(40), 605).kind, 'full');
  });

  it('a replica continuing under a new primary id keeps the old one as replid2', () => {
    const st = new ReplicationState(ids(), 1000);
    st.becomeReplica('h', 1, 0);
    st.beginFullSync('a'.repeat(40), 0);
    stream(st, 10);
    st.continueSync('b'.repeat(40));
    assert.equal(st.replid, 'b'.repeat(40));
    assert.equal(st.replid2, 'a'.repeat(40));
    assert.equal(st.secondReplidOffset, 10);
    assert.equal(st.replid2 === ZERO_REPLID, false);
  });
});

describe('replication state: acks and WAIT', () => {
  function primaryWithReplicas(n: number): ReplicationState {
    const st = new ReplicationState(ids(), 1000);
    st.decideSync(NO_REPLID, -1);
    for (let i = 0; i < n; i++) st.addReplica(`r${i}`, '127.0.0.1', 7000 + i, 'online', 0, 0);
    return st;
  }

  it('counts online replicas that acknowledged an offset', () => {
    const st = primaryWithReplicas(3);
    stream(st, 100);
    assert.equal(st.ackedCount(100), 0);
    st.ack('r0', 100, 1);
    st.ack('r1', 50, 1);
    assert.equal(st.ackedCount(100), 1);
    assert.equal(st.ackedCount(50), 2);
    st.replicas.get('r2')!.state = 'send_bulk';
    st.ack('r2', 100, 1);
    assert.equal(st.ackedCount(100), 1, 'a replica still syncing does not count');
  });

  it('wakes a WAIT once enough replicas acked its offset, exactly once', () => {
    const st = primaryWithReplicas(2);
    stream(st, 100);
    const t1 = st.addWait(100, 2);
    const t2 = st.addWait(40, 1);
    assert.deepEqual(st.ack('r0', 60, 1), [t2]);
    assert.deepEqual(st.ack('r0', 100, 2), []);
    assert.deepEqual(st.ack('r1', 100, 3), [t1]);
    assert.equal(st.waitCount, 0);
    // An old or repeated ack changes nothing but the ack time.
    assert.deepEqual(st.ack('r1', 90, 9), []);
    assert.equal(st.replicas.get('r1')!.ackOffset, 100);
    assert.equal(st.replicas.get('r1')!.ackTimeMs, 9);
  });

  it('a removed WAIT is never reported', () => {
    const st = primaryWithReplicas(1);
    const t = st.addWait(10, 1);
    st.removeWait(t);
    assert.deepEqual(st.ack('r0', 10, 1), []);
  });
});
