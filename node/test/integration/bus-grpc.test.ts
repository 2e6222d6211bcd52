// GrpcBus instances in one process over real loopback gRPC: batching per
// event-loop turn, link up/down/up when a peer closes and comes back, queue
// bounds while a peer is unreachable, hostile inbound streams, and a
// throughput measurement (printed).

import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type { BusMessage, BusTarget, NodeHeader } from '../../src/cluster/types.js';
import { GrpcBus, type GrpcBusOptions, type InboundPeer } from '../../src/bus/grpc-bus.js';
import { BUS_LINK_METHOD, BUS_PROTOCOL_VERSION, encodeBusFrame, encodeBusFrameParts, encodeHandshake } from '../../src/bus/codec.js';
import { SILENT_LOGGER } from '../../src/core/log.js';
import { freePort } from '../support/server-process.js';

const HOST = '127.0.0.1';

function hexId(n: number): string {
  return n.toString(16).padStart(40, '0');
}

function header(id: string, busPort: number): NodeHeader {
  return {
    id,
    ip: HOST,
    port: busPort - 10000 > 0 ? busPort - 10000 : 1,
    busPort,
    hostname: '',
    currentEpoch: 1,
    configEpoch: 1,
    flags: ['master'],
    primaryId: '',
    shardId: id,
    zone: 'a',
    replOffset: 0,
    slotsDigest: 0,
  };
}

function ping(id: string, seq: number): BusMessage {
  // replOffset carries a sequence number so tests can check order and loss.
  return { kind: 'ping', header: { ...header(id, 1), replOffset: seq }, gossip: [] };
}

async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 10));
    }
  }
}

interface Node {
  readonly id: string;
  readonly bus: GrpcBus;
  readonly received: { msg: BusMessage; from: InboundPeer }[];
  readonly links: { target: BusTarget; connected: boolean }[];
  target(): BusTarget;
}

describe('bus: GrpcBus over loopback', function () {
  this.timeout(30_000);
  const open: GrpcBus[] = [];
  let nextId = 1;

  async function node(extra: Partial<GrpcBusOptions> = {}, busPort = 0): Promise<Node> {
    const id = hexId(nextId++);
    const received: Node['received'] = [];
    const links: Node['links'] = [];
    let port = busPort;
    const bus = new GrpcBus({
      bindHost: HOST,
      busPort,
      identity: () => ({ id, ip: HOST, port: 1, busPort: port }),
      logger: SILENT_LOGGER,
      onMessage: (msg, from) => received.push({ msg, from }),
      onLinkChanged: (target, connected) => links.push({ target, connected }),
      reconnectMinMs: 20,
      reconnectMaxMs: 100,
      ...extra,
    });
    open.push(bus);
    await bus.start();
    port = bus.port;
    return { id, bus, received, links, target: () => ({ id, ip: HOST, busPort: bus.port }) };
  }

  afterEach(async () => {
    await Promise.all(open.splice(0).map((b) => b.close()));
  });

  it('delivers the messages of one event-loop turn as one frame, in order, and reports the link up with the peer id', async () => {
    const a = await node();
    const b = await node();
    for (let i = 0; i < 50; i++) a.bus.send({ id: null, ip: HOST, busPort: b.bus.port }, ping(a.id, i));
    await eventually(() => assert.equal(b.received.length, 50));
    assert.deepEqual(b.received.map((r) => r.msg.header.replOffset), [...Array(50).keys()]);
    assert.equal(b.received[0]!.from.nodeId, a.id);
    assert.equal(b.received[0]!.from.busPort, a.bus.port);
    // Handshake frame + one frame with 50 messages.
    assert.equal(a.bus.stats().counters.framesSent, 1);
    assert.equal(b.bus.stats().counters.framesReceived, 2);
    assert.deepEqual(a.links, [{ target: { id: b.id, ip: HOST, busPort: b.bus.port }, connected: true }]);
    assert.equal(a.bus.stats().counters.sentByType.get('ping'), 50);
    assert.equal(b.bus.stats().counters.receivedByType.get('ping'), 50);
    assert.equal(a.bus.stats().connectedOutboundLinks, 1);
    assert.equal(b.bus.stats().inboundLinks, 1);
    const links = a.bus.links();
    assert.equal(links.length, 1);
    assert.equal(links[0]!.direction, 'to');
    assert.equal(links[0]!.nodeId, b.id);
  });

  it('three nodes: everyone reaches everyone over one stream per peer', async () => {
    const nodes = [await node(), await node(), await node()];
    for (const from of nodes) {
      for (const to of nodes) {
        if (from !== to) for (let i = 0; i < 10; i++) from.bus.send(to.target(), ping(from.id, i));
      }
    }
    await eventually(() => {
      for (const n of nodes) assert.equal(n.received.length, 20);
    });
    for (const n of nodes) {
      assert.equal(n.bus.stats().outboundLinks, 2);
      assert.equal(n.bus.stats().inboundLinks, 2);
      const senders = new Set(n.received.map((r) => r.from.nodeId));
      assert.deepEqual([...senders].sort(), nodes.filter((x) => x !== n).map((x) => x.id).sort());
    }
  });

  it('reports link down when the peer closes and up again when it returns on the same port', async () => {
    const a = await node();
    const b = await node();
    const port = b.bus.port;
    a.bus.send(b.target(), ping(a.id, 0));
    await eventually(() => assert.equal(b.received.length, 1));
    await b.bus.close();
    await eventually(() => assert.deepEqual(a.links.map((l) => l.connected), [true, false]));
    assert.equal(a.links[1]!.target.id, b.id);
    // While b is away a keeps sending (the core pings); messages wait in the bounded queue.
    a.bus.send({ id: b.id, ip: HOST, busPort: port }, ping(a.id, 1));
    const b2 = await node({}, port);
    await eventually(() => assert.deepEqual(a.links.map((l) => l.connected), [true, false, true]), 10_000);
    await eventually(() => assert.equal(b2.received.length, 1));
    assert.equal(b2.received[0]!.msg.header.replOffset, 1);
  });

  it('bounds the queue of an unreachable peer: old pings go first, events are kept', async () => {
    const a = await node({ maxQueuedMessages: 100 });
    const port = await freePort(HOST);
    const to: BusTarget = { id: null, ip: HOST, busPort: port };
    const fail: BusMessage = { kind: 'fail', header: header(a.id, 1), failedId: hexId(999) };
    for (let i = 0; i < 10_000; i++) {
      a.bus.send(to, ping(a.id, i));
      if (i % 1000 === 0) a.bus.send(to, fail);
    }
    const link = a.bus.links()[0]!;
    assert.ok(link.queuedMessages <= 100, `queued ${link.queuedMessages}`);
    assert.ok(a.bus.stats().counters.droppedQueueFull >= 9_900);
    // The peer appears: it gets every FAIL and only the newest pings.
    const b = await node({}, port);
    await eventually(() => assert.ok(b.received.some((r) => r.msg.kind === 'ping' && r.msg.header.replOffset === 9_999)), 10_000);
    const kinds = b.received.map((r) => r.msg.kind);
    assert.equal(kinds.filter((k) => k === 'fail').length, 10);
    assert.ok(kinds.length <= 100);
  });

  it('bounds queued bytes too (large PUBLISH to an unreachable peer)', async () => {
    const a = await node({ maxQueuedBytes: 1_000_000 });
    const to: BusTarget = { id: null, ip: HOST, busPort: await freePort(HOST) };
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 100; i++) a.bus.send(to, { kind: 'publish', header: header(a.id, 1), channel: 'c', message: big, sharded: false });
    const link = a.bus.links()[0]!;
    assert.ok(link.queuedBytes <= 1_000_000, `queued ${link.queuedBytes} bytes`);
    assert.ok(link.queuedMessages >= 8);
  });

  it('closes inbound streams that skip the handshake or send garbage, and keeps serving others', async () => {
    const b = await node();
    const client = new grpc.Client(`${HOST}:${b.bus.port}`, grpc.credentials.createInsecure());
    try {
      const statusOf = (frames: Buffer[]): Promise<grpc.StatusObject> =>
        new Promise((resolve) => {
          const call = client.makeBidiStreamRequest<Buffer, Buffer>(BUS_LINK_METHOD, (x) => x, (x) => x);
          call.on('data', () => {});
          call.on('error', () => {});
          call.on('status', resolve);
          for (const f of frames) call.write(f);
        });
      const noHandshake = await statusOf([encodeBusFrame({ messages: [ping(hexId(5), 0)] })]);
      assert.equal(noHandshake.code, grpc.status.FAILED_PRECONDITION);
      const garbage = await statusOf([Buffer.from([0xff, 0xff, 0xff, 0x01, 0x02])]);
      assert.equal(garbage.code, grpc.status.INVALID_ARGUMENT);
      const hs = encodeHandshake({ protocolVersion: 0, nodeId: '', ip: HOST, port: 1, busPort: 1, dialedIp: '', dialedBusPort: 0 });
      const tooOld = await statusOf([encodeBusFrameParts(hs, [])]);
      assert.equal(tooOld.code, grpc.status.FAILED_PRECONDITION);
      assert.equal(b.received.length, 0);
      assert.equal(b.bus.stats().counters.decodeErrors, 1);
      assert.ok(BUS_PROTOCOL_VERSION >= 1);
    } finally {
      client.close();
    }
    const a = await node();
    a.bus.send(b.target(), ping(a.id, 7));
    await eventually(() => assert.equal(b.received.length, 1));
  });

  it('measures throughput with batching (printed)', async () => {
    // Queue bounds high enough that pacing (below), not dropping, keeps up with the peer.
    const a = await node({ maxQueuedMessages: 1_000_000, maxQueuedBytes: 1 << 30 });
    const b = await node();
    const perTurn = 1000;
    const gossipEntries = [1, 2, 3].map((n) => ({ ...header(hexId(100 + n), 17000 + n), pingSentMs: 1_700_000_000_000, pongRecvMs: 1_700_000_000_000 }));
    // Warm up the link.
    a.bus.send(b.target(), ping(a.id, 0));
    await eventually(() => assert.equal(b.received.length, 1));
    for (const [label, gossip, total] of [
      ['header only', [], 60_000],
      ['header + 3 gossip entries', gossipEntries, 40_000],
    ] as const) {
      b.received.length = 0;
      const before = { ...a.bus.stats().counters };
      const start = process.hrtime.bigint();
      let sent = 0;
      await new Promise<void>((resolve) => {
        const pump = (): void => {
          // Pace on the queue, as a bounded producer would: keep a few frames in flight.
          const queued = a.bus.links()[0]?.queuedMessages ?? 0;
          if (queued < 4 * perTurn) {
            // Fresh objects each time, as the core makes them (no encode cache hits).
            for (let i = 0; i < perTurn && sent < total; i++, sent++) a.bus.send(b.target(), { kind: 'ping', header: { ...header(a.id, a.bus.port), replOffset: sent }, gossip });
          }
          if (sent < total) setImmediate(pump);
          else resolve();
        };
        pump();
      });
      await eventually(() => assert.equal(b.received.length, total), 60_000);
      const sec = Number(process.hrtime.bigint() - start) / 1e9;
      const after = a.bus.stats().counters;
      const bytes = after.bytesSent - before.bytesSent;
      console.log(
        `      bus throughput, ${label}: ${Math.round(total / sec).toLocaleString('en-US')} messages/s ` +
          `(${total} pings of ${Math.round(bytes / total)} B, ${after.framesSent - before.framesSent} frames, ${(bytes / sec / 1e6).toFixed(1)} MB/s)`,
      );
      assert.equal(b.received[total - 1]!.msg.header.replOffset, total - 1);
    }
    assert.equal(a.bus.stats().counters.droppedQueueFull, 0);
  });
});
