// The acknowledged offset of synchronous replication, end to end through the
// pure parts: what a primary computes from its replicas' acks (other zones
// only), what a replica remembers from its primary (monotonic, forgotten
// with the primary), the wire frames that carry it, and INFO replication.
import assert from 'node:assert/strict';
import { replicationInfoLines } from '../../src/replication/info.js';
import { ReplicationState } from '../../src/replication/state.js';
import { decodeFrame, encodeFrame, REPL_ACKED_FRAME_VERSION, REPL_PROTOCOL_VERSION } from '../../src/server/replication-wire.js';

function ids(): () => string {
  let n = 0;
  return () => String(++n).padStart(40, '0');
}

/** A primary in zone a with a backlog, `bytes` of stream, and replicas (key, zone) online at offset 0. */
function primaryWith(replicas: readonly (readonly [string, string])[], bytes: number): ReplicationState {
  const st = new ReplicationState(ids(), 1000);
  st.decideSync('?', -1);
  for (const [key, zone] of replicas) st.addReplica(key, '127.0.0.1', 7000, 'online', 0, 0, zone);
  st.feed(Buffer.alloc(bytes, 0x61));
  return st;
}

function infoField(st: ReplicationState, zone: string, field: string): string | undefined {
  const line = replicationInfoLines({ state: st, nowMs: 0, replicaPriority: 100, replicaReadOnly: true, replicaAnnounced: true, syncReadBytes: 0, zone }).find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1);
}

describe('replication: the acknowledged offset (sync mode)', () => {
  it('a primary counts only acks from replicas outside its zone, and only online ones', () => {
    const st = primaryWith([['same', 'a'], ['other', 'b'], ['syncing', 'c']], 500);
    st.replicas.get('syncing')!.state = 'send_bulk';
    st.ack('same', 500, 1);
    st.ack('syncing', 400, 1);
    assert.deepEqual(st.otherZoneAcks('a'), { offset: 0, online: 1 }, 'the same-zone ack and the syncing replica do not count');
    st.ack('other', 300, 2);
    assert.deepEqual(st.otherZoneAcks('a'), { offset: 300, online: 1 });
    assert.equal(st.knownAckedOffset('a'), 300);
    assert.equal(infoField(st, 'a', 'sync_acked_offset'), '300');
  });

  it('without zones every online replica counts', () => {
    const st = primaryWith([['r1', ''], ['r2', '']], 200);
    st.ack('r1', 120, 1);
    st.ack('r2', 80, 1);
    assert.deepEqual(st.otherZoneAcks(''), { offset: 120, online: 2 });
  });

  it('a replica remembers the highest offset its primary reported, never less', () => {
    const st = new ReplicationState(ids(), 1000);
    assert.equal(st.noteAckedOffset(10), false, 'a primary has no primary to learn from');
    st.becomeReplica('127.0.0.1', 7000, 0);
    assert.equal(st.knownAckedOffset('b'), 0);
    assert.equal(st.noteAckedOffset(100), true);
    assert.equal(st.noteAckedOffset(60), false, 'an older report (reordered, or a batch built before the ack) does not lower it');
    assert.equal(st.noteAckedOffset(100), false);
    assert.equal(st.knownAckedOffset('b'), 100);
    // Its own replicas' acks are not what a client was promised: the primary's figure wins.
    st.addReplica('sub', '127.0.0.1', 7001, 'online', 0, 0, 'c');
    st.ack('sub', 500, 1);
    assert.equal(st.knownAckedOffset('b'), 100);
    assert.equal(infoField(st, 'b', 'sync_acked_offset'), '100');
  });

  it('kept across a full sync from the same primary, forgotten with a new primary or a promotion', () => {
    const st = new ReplicationState(ids(), 1000);
    st.becomeReplica('127.0.0.1', 7000, 0);
    st.beginFullSync('f'.repeat(40), 150);
    st.noteAckedOffset(120);
    st.beginFullSync('f'.repeat(40), 200);
    assert.equal(st.knownAckedOffset('b'), 120);
    st.becomeReplica('127.0.0.2', 7000, 0);
    assert.equal(st.knownAckedOffset('b'), 0, "another primary's history may not be ours");
    st.noteAckedOffset(50);
    st.becomePrimary();
    assert.equal(st.knownAckedOffset('b'), 0, 'a primary counts its own replicas (none yet)');
  });

  it('wire: CommandBatch carries acked_offset; ReplAcked is its own frame; protocol version 2 announces it', () => {
    const batch = decodeFrame(encodeFrame({ kind: 'commandBatch', startOffset: 10, endOffset: 14, payload: Buffer.from('PING'), ackedOffset: 9 }));
    assert.deepEqual(batch, { kind: 'commandBatch', startOffset: 10, endOffset: 14, payload: Buffer.from('PING'), ackedOffset: 9 });
    assert.deepEqual(decodeFrame(encodeFrame({ kind: 'acked', offset: 2 ** 40 })), { kind: 'acked', offset: 2 ** 40 });
    assert.ok(REPL_PROTOCOL_VERSION >= REPL_ACKED_FRAME_VERSION, 'our replicas ask for ReplAcked frames');
  });

  it('wire: a batch from a primary that does not send acked_offset decodes with 0 (older peer)', () => {
    const f = decodeFrame(encodeFrame({ kind: 'commandBatch', startOffset: 0, endOffset: 1, payload: Buffer.from('x'), ackedOffset: 0 }));
    assert.equal(f.kind === 'commandBatch' ? f.ackedOffset : -1, 0);
  });
});
