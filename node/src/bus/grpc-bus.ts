// The cluster bus over gRPC: the adapter that carries the core's Outgoing
// messages to peers and hands received ones back. It decides nothing about
// the cluster; it owns connections, batching and memory bounds.
//
// - Server: ClusterBus.Link on the bus port, bound to the node's bind
//   address(es). Inbound streams are accepted from anyone; the first frame is
//   a handshake saying who the peer is and which protocol version it speaks.
// - Client: one outbound bidi stream per peer address (ip:busPort), opened
//   lazily on first send and kept open. grpc-js cannot choose a source
//   address (partitions are made by process owner, see DESIGN.md). Broken
//   streams reconnect with exponential backoff while the core keeps sending
//   to the peer; a peer not sent to for `idlePeerMs` is dropped.
// - Batching: gRPC costs about 80 us per stream message here, so messages
//   queued for a peer during one event-loop turn go out as one BusFrame
//   (setImmediate flush). Each message is encoded once when queued, which
//   also gives its exact size for the queue bound.
// - Bounds: a peer's queue holds at most `maxQueuedMessages` messages and
//   `maxQueuedBytes` bytes. When full (peer unreachable or slow), the oldest
//   PING/PONG/MEET goes first (a later one supersedes it), then the oldest
//   message of any kind. Never unbounded growth.
// - Link state: an outbound link is "connected" once the peer answered the
//   handshake; up/down transitions are reported through onLinkChanged, which
//   the runtime forwards to core.linkChanged.

import * as grpc from '@grpc/grpc-js';
import type { BusMessage, BusTarget } from '../cluster/types.js';
import type { Logger } from '../core/log.js';
import { setTimer, wallClockMs } from '../runtime/clock.js';
import {
  BUS_LINK_METHOD,
  BUS_MIN_PROTOCOL_VERSION,
  BUS_PROTOCOL_VERSION,
  BusCodecError,
  decodeBusFrame,
  encodeBusFrameParts,
  encodeBusMessage,
  encodeHandshake,
  framedLength,
  redisMessageTypeName,
  type BusHandshake,
} from './codec.js';
import { bump, newCounters, RateMeter, type BusCounters, type BusRates } from './stats.js';

/** What this node says about itself in handshakes; read on every (re)connect because CLUSTER RESET HARD changes the id. */
export interface BusIdentity {
  readonly id: string;
  readonly ip: string;
  readonly port: number;
  readonly busPort: number;
}

/** Who sent a received message (from the inbound stream's handshake). */
export interface InboundPeer {
  readonly nodeId: string;
  readonly ip: string;
  readonly busPort: number;
  /** The socket's peer address as gRPC reports it ("ipv4:127.0.0.1:53210"). */
  readonly socketPeer: string;
}

export interface GrpcBusOptions {
  /** Redis's `bind` value: one or more addresses; '*' is every IPv4 address, a leading '-' marks an optional one. */
  readonly bindHost: string;
  /** 0 picks a free port (tests); see GrpcBus.port after start(). */
  readonly busPort: number;
  readonly identity: () => BusIdentity;
  readonly logger: Logger;
  readonly onMessage: (msg: BusMessage, from: InboundPeer) => void;
  readonly onLinkChanged: (target: BusTarget, connected: boolean) => void;
  /** Per-peer queue bounds. */
  readonly maxQueuedMessages?: number;
  readonly maxQueuedBytes?: number;
  /** Frames are cut at this size; a single larger message still goes alone. */
  readonly maxFrameBytes?: number;
  readonly reconnectMinMs?: number;
  readonly reconnectMaxMs?: number;
  /** A connecting stream whose handshake is not answered in this time is retried. */
  readonly handshakeTimeoutMs?: number;
  /** A broken link to a peer not sent to for this long is dropped instead of retried. */
  readonly idlePeerMs?: number;
  /** HTTP/2 keepalive: detects a paused (SIGSTOP) peer whose kernel still holds the TCP connection. */
  readonly keepaliveMs?: number;
  readonly clock?: () => number;
  /**
   * Other services that share the bus port (Replication, in cluster mode):
   * registered on the gRPC server before it binds, so one port carries
   * gossip and replication streams as DESIGN.md says.
   */
  readonly registerServices?: (server: grpc.Server) => void;
}

export interface LinkInfo {
  readonly direction: 'to' | 'from';
  readonly nodeId: string;
  readonly ip: string;
  readonly busPort: number;
  readonly createdMs: number;
  readonly connected: boolean;
  readonly queuedMessages: number;
  readonly queuedBytes: number;
}

export interface BusStats extends BusRates {
  readonly counters: Readonly<BusCounters>;
  readonly outboundLinks: number;
  readonly connectedOutboundLinks: number;
  readonly inboundLinks: number;
}

interface Queued {
  readonly bytes: Uint8Array;
  readonly type: string;
  /** PING/PONG/MEET: superseded by the next one, first to drop. */
  readonly gossip: boolean;
}

type PeerState = 'connecting' | 'connected' | 'backoff';

interface OutboundPeer {
  readonly key: string;
  readonly ip: string;
  readonly busPort: number;
  /** Last id known for the peer: from its handshake or from the core's target. */
  id: string | null;
  state: PeerState;
  client: grpc.Client | null;
  call: grpc.ClientDuplexStream<Buffer, Buffer> | null;
  /** write() returned false: wait for 'drain' before writing more. */
  blocked: boolean;
  queue: Queued[];
  queuedBytes: number;
  backoffMs: number;
  timer: NodeJS.Timeout | null;
  lastSendMs: number;
  createdMs: number;
  connectedMs: number;
}

interface InboundLink {
  readonly call: grpc.ServerDuplexStream<Buffer, Buffer>;
  readonly createdMs: number;
  handshake: BusHandshake | null;
}

const DEFAULTS = {
  maxQueuedMessages: 4096,
  maxQueuedBytes: 8 * 1024 * 1024,
  maxFrameBytes: 1024 * 1024,
  reconnectMinMs: 100,
  reconnectMaxMs: 2000,
  handshakeTimeoutMs: 5000,
  idlePeerMs: 60_000,
  keepaliveMs: 5000,
};

/** The largest gRPC message a peer may send us: a frame, or one big PUBLISH. */
const MAX_GRPC_MESSAGE_BYTES = 64 * 1024 * 1024;
/** What we may send: a replication CommandBatch carries a whole event-loop turn of writes (a 512 MB value at most). */
const MAX_GRPC_SEND_BYTES = 512 * 1024 * 1024;

const identity = (b: Buffer): Buffer => b;

const LINK_DEFINITION: grpc.ServiceDefinition = {
  Link: {
    path: BUS_LINK_METHOD,
    requestStream: true,
    responseStream: true,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
    originalName: 'link',
  },
};

function hostPort(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** Redis `bind` syntax to addresses grpc-js can bind, with whether failure is tolerated. */
export function bindAddresses(bind: string): { host: string; optional: boolean }[] {
  const out: { host: string; optional: boolean }[] = [];
  for (const word of bind.split(/\s+/).filter((w) => w !== '')) {
    const optional = word.startsWith('-');
    const addr = optional ? word.slice(1) : word;
    const host = addr === '*' ? '0.0.0.0' : addr === '::*' ? '::' : addr;
    out.push({ host, optional });
  }
  return out.length > 0 ? out : [{ host: '0.0.0.0', optional: false }];
}

export class GrpcBus {
  private readonly opts: Required<Omit<GrpcBusOptions, 'clock' | 'registerServices'>> & { clock: () => number; registerServices?: (server: grpc.Server) => void };
  private readonly log: Logger;
  private readonly peers = new Map<string, OutboundPeer>();
  private readonly inbound = new Set<InboundLink>();
  private readonly dirty = new Set<OutboundPeer>();
  private readonly counters = newCounters();
  private readonly meter = new RateMeter();
  /** A broadcast sends one message object to many peers: encode it once. */
  private readonly encoded = new WeakMap<BusMessage, Uint8Array>();
  private server: grpc.Server | null = null;
  private flushScheduled = false;
  private closed = false;
  private boundPort = 0;
  private lastWarnMs = new Map<string, number>();

  constructor(options: GrpcBusOptions) {
    // Options explicitly set to undefined keep their defaults.
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GrpcBusOptions;
    this.opts = { ...DEFAULTS, clock: wallClockMs, ...given };
    this.log = options.logger;
  }

  /** The bus port actually bound (differs from options.busPort when that was 0). */
  get port(): number {
    return this.boundPort;
  }

  /** Binds the server. Rejects if a non-optional bind address cannot be bound. */
  async start(): Promise<void> {
    const server = new grpc.Server({
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_SEND_BYTES,
      // Peers send keepalive pings while a stream is open; allow them.
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.http2.min_ping_interval_without_data_ms': Math.min(1000, this.opts.keepaliveMs),
    });
    server.addService(LINK_DEFINITION, { Link: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => this.acceptLink(call) });
    this.opts.registerServices?.(server);
    this.server = server;
    let port = this.opts.busPort;
    for (const { host, optional } of bindAddresses(this.opts.bindHost)) {
      try {
        port = await new Promise<number>((resolve, reject) => {
          server.bindAsync(hostPort(host, port), grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p)));
        });
      } catch (err) {
        if (!optional) {
          server.forceShutdown();
          this.server = null;
          throw new Error(`cluster bus: cannot bind ${hostPort(host, port)}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
        }
      }
    }
    this.boundPort = port;
    this.log.info('Cluster bus listening', { bind: this.opts.bindHost, busPort: port });
  }

  /** Queues a message for a peer; it leaves at the end of this event-loop turn. */
  send(to: BusTarget, msg: BusMessage): void {
    if (this.closed) return;
    let bytes = this.encoded.get(msg);
    if (!bytes) {
      try {
        bytes = encodeBusMessage(msg);
      } catch (err) {
        // A core bug, not a network condition: count it and say so, rate-limited.
        this.counters.encodeErrors++;
        this.warnRateLimited('encode', 'Cluster bus: message not encodable, dropped', { kind: msg.kind, error: err instanceof Error ? err.message : String(err) });
        return;
      }
      this.encoded.set(msg, bytes);
    }
    const peer = this.peerFor(to);
    peer.lastSendMs = this.opts.clock();
    if (to.id !== null && to.id !== peer.id) peer.id = to.id;
    this.enqueue(peer, { bytes, type: redisMessageTypeName(msg), gossip: msg.kind === 'ping' || msg.kind === 'pong' || msg.kind === 'meet' });
    this.scheduleFlush();
  }

  /** Closes the link to a peer and drops its queue (CLUSTER FORGET, RESET). */
  disconnect(ip: string, busPort: number): void {
    const peer = this.peers.get(hostPort(ip, busPort));
    if (!peer) return;
    this.peers.delete(peer.key);
    this.dirty.delete(peer);
    const wasConnected = peer.state === 'connected';
    this.teardown(peer);
    if (wasConnected) this.opts.onLinkChanged(this.targetOf(peer), false);
  }

  /** Takes a sample for the per-second rates (the runtime calls it every tick). */
  sample(nowMs: number): void {
    this.meter.sample(this.counters, nowMs);
  }

  stats(): BusStats {
    let connected = 0;
    for (const p of this.peers.values()) if (p.state === 'connected') connected++;
    return {
      ...this.meter.rates(),
      counters: this.counters,
      outboundLinks: this.peers.size,
      connectedOutboundLinks: connected,
      inboundLinks: this.inbound.size,
    };
  }

  /** For CLUSTER LINKS. */
  links(): LinkInfo[] {
    const out: LinkInfo[] = [];
    for (const p of this.peers.values()) {
      out.push({
        direction: 'to',
        nodeId: p.id ?? '',
        ip: p.ip,
        busPort: p.busPort,
        createdMs: p.createdMs,
        connected: p.state === 'connected',
        queuedMessages: p.queue.length,
        queuedBytes: p.queuedBytes,
      });
    }
    for (const l of this.inbound) {
      out.push({
        direction: 'from',
        nodeId: l.handshake?.nodeId ?? '',
        ip: l.handshake?.ip ?? '',
        busPort: l.handshake?.busPort ?? 0,
        createdMs: l.createdMs,
        connected: l.handshake !== null,
        queuedMessages: 0,
        queuedBytes: 0,
      });
    }
    return out;
  }

  /** Closes every stream and the server. Queued messages are dropped; no link-down is reported. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const peer of this.peers.values()) this.teardown(peer);
    this.peers.clear();
    this.dirty.clear();
    for (const l of this.inbound) l.call.destroy();
    this.inbound.clear();
    const server = this.server;
    this.server = null;
    if (server) {
      // Streams are long-lived: a graceful shutdown would wait for peers to hang up.
      server.forceShutdown();
    }
  }

  // -------------------------------------------------------------------------
  // Outbound

  private targetOf(peer: OutboundPeer): BusTarget {
    return { id: peer.id, ip: peer.ip, busPort: peer.busPort };
  }

  private peerFor(to: BusTarget): OutboundPeer {
    const key = hostPort(to.ip, to.busPort);
    let peer = this.peers.get(key);
    if (!peer) {
      peer = {
        key,
        ip: to.ip,
        busPort: to.busPort,
        id: to.id,
        state: 'backoff',
        client: null,
        call: null,
        blocked: false,
        queue: [],
        queuedBytes: 0,
        backoffMs: 0,
        timer: null,
        lastSendMs: this.opts.clock(),
        createdMs: this.opts.clock(),
        connectedMs: 0,
      };
      this.peers.set(key, peer);
      this.connect(peer);
    }
    return peer;
  }

  private enqueue(peer: OutboundPeer, item: Queued): void {
    peer.queue.push(item);
    peer.queuedBytes += item.bytes.length;
    if (peer.queue.length > this.opts.maxQueuedMessages || peer.queuedBytes > this.opts.maxQueuedBytes) this.trim(peer);
    this.dirty.add(peer);
  }

  /**
   * Brings a full queue back under its bounds: oldest gossip first, then
   * oldest anything; the newest message always stays. It trims to 90% of the
   * bounds so that a flood to an unreachable peer costs amortised O(1) per
   * message instead of a pass over the queue each time.
   */
  private trim(peer: OutboundPeer): void {
    const targetMessages = Math.floor(this.opts.maxQueuedMessages * 0.9);
    const targetBytes = Math.floor(this.opts.maxQueuedBytes * 0.9);
    const q = peer.queue;
    let excess = q.length - targetMessages;
    let excessBytes = peer.queuedBytes - targetBytes;
    let lastGossip = q.length - 1;
    while (lastGossip >= 0 && !q[lastGossip]!.gossip) lastGossip--;
    const kept: Queued[] = [];
    let dropped = 0;
    // Pass 1: old gossip (a later PING/PONG supersedes it).
    for (let i = 0; i < q.length; i++) {
      const item = q[i]!;
      if (item.gossip && i < lastGossip && (excess > 0 || excessBytes > 0)) {
        excess--;
        excessBytes -= item.bytes.length;
        dropped++;
      } else {
        kept.push(item);
      }
    }
    // Pass 2: still over (events only, or one huge message): oldest first.
    let cut = 0;
    while ((excess > 0 || excessBytes > 0) && cut < kept.length - 1) {
      excess--;
      excessBytes -= kept[cut]!.bytes.length;
      cut++;
    }
    dropped += cut;
    peer.queue = cut > 0 ? kept.slice(cut) : kept;
    peer.queuedBytes = 0;
    for (const item of peer.queue) peer.queuedBytes += item.bytes.length;
    if (dropped > 0) {
      this.counters.droppedQueueFull += dropped;
      this.warnRateLimited(`full:${peer.key}`, 'Cluster bus: queue full, dropping oldest messages', {
        peer: peer.key,
        nodeId: peer.id ?? '',
        state: peer.state,
        droppedTotal: this.counters.droppedQueueFull,
      });
    }
  }

  private connect(peer: OutboundPeer): void {
    if (this.closed) return;
    const me = this.opts.identity();
    const client = new grpc.Client(hostPort(peer.ip, peer.busPort), grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
      // One connection per peer, owned by this client: our backoff, not a shared pool's, decides reconnects.
      'grpc.use_local_subchannel_pool': 1,
      'grpc.initial_reconnect_backoff_ms': this.opts.reconnectMinMs,
      'grpc.max_reconnect_backoff_ms': this.opts.reconnectMaxMs,
      'grpc.keepalive_time_ms': this.opts.keepaliveMs,
      'grpc.keepalive_timeout_ms': this.opts.keepaliveMs,
      'grpc.keepalive_permit_without_calls': 1,
    });
    const call = client.makeBidiStreamRequest<Buffer, Buffer>(BUS_LINK_METHOD, identity, identity);
    peer.client = client;
    peer.call = call;
    peer.state = 'connecting';
    peer.blocked = false;
    const hs = encodeHandshake({
      protocolVersion: BUS_PROTOCOL_VERSION,
      nodeId: me.id,
      ip: me.ip,
      port: me.port,
      busPort: me.busPort,
      dialedIp: peer.ip,
      dialedBusPort: peer.busPort,
    });
    call.write(encodeBusFrameParts(hs, []));
    const current = (): boolean => peer.call === call && this.peers.get(peer.key) === peer;
    call.on('data', (buf: Buffer) => {
      if (!current()) return;
      this.onReplyFrame(peer, buf);
    });
    call.on('drain', () => {
      if (!current()) return;
      peer.blocked = false;
      if (peer.queue.length > 0) {
        this.dirty.add(peer);
        this.scheduleFlush();
      }
    });
    // 'error' carries the status for failures; 'end' is a clean close by the peer.
    call.on('error', (err: grpc.ServiceError) => {
      if (current()) this.broken(peer, err.details || err.message);
    });
    call.on('end', () => {
      if (current()) this.broken(peer, 'closed by peer');
    });
    peer.timer = setTimer(() => {
      peer.timer = null;
      if (current() && peer.state === 'connecting') this.broken(peer, 'handshake timeout');
    }, this.opts.handshakeTimeoutMs);
  }

  private onReplyFrame(peer: OutboundPeer, buf: Buffer): void {
    let hs: BusHandshake | null;
    try {
      hs = decodeBusFrame(buf).handshake;
    } catch (err) {
      this.counters.decodeErrors++;
      this.broken(peer, `bad reply frame: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (!hs || peer.state !== 'connecting') return;
    if (hs.protocolVersion < BUS_MIN_PROTOCOL_VERSION) {
      this.broken(peer, `peer speaks bus protocol ${hs.protocolVersion}`);
      return;
    }
    if (peer.timer) clearTimeout(peer.timer);
    peer.timer = null;
    peer.state = 'connected';
    peer.connectedMs = this.opts.clock();
    peer.backoffMs = 0;
    if (hs.nodeId !== '') peer.id = hs.nodeId;
    this.log.debug('Cluster bus link up', { peer: peer.key, nodeId: peer.id ?? '' });
    this.opts.onLinkChanged(this.targetOf(peer), true);
    if (peer.queue.length > 0) {
      this.dirty.add(peer);
      this.scheduleFlush();
    }
  }

  private teardown(peer: OutboundPeer): void {
    if (peer.timer) clearTimeout(peer.timer);
    peer.timer = null;
    const { call, client } = peer;
    peer.call = null;
    peer.client = null;
    peer.blocked = false;
    call?.cancel();
    client?.close();
  }

  private broken(peer: OutboundPeer, reason: string): void {
    const wasConnected = peer.state === 'connected';
    this.teardown(peer);
    peer.state = 'backoff';
    if (wasConnected) {
      this.log.info('Cluster bus link down', { peer: peer.key, nodeId: peer.id ?? '', reason });
      this.opts.onLinkChanged(this.targetOf(peer), false);
    }
    if (this.closed) return;
    peer.backoffMs = peer.backoffMs === 0 ? this.opts.reconnectMinMs : Math.min(peer.backoffMs * 2, this.opts.reconnectMaxMs);
    peer.timer = setTimer(() => {
      peer.timer = null;
      if (this.closed || this.peers.get(peer.key) !== peer) return;
      // The core keeps pinging peers it knows; one it stopped talking to (forgotten) is let go.
      if (peer.queue.length === 0 && this.opts.clock() - peer.lastSendMs > this.opts.idlePeerMs) {
        this.peers.delete(peer.key);
        this.dirty.delete(peer);
        return;
      }
      this.connect(peer);
    }, peer.backoffMs);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // After the current turn's work (every message the core produced for this
    // event) is queued: that is what makes one frame per peer per turn.
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.closed) return;
    for (const peer of this.dirty) {
      if (peer.state !== 'connected' || peer.blocked || !peer.call) continue; // stays queued (bounded) until the link is up
      this.dirty.delete(peer);
      const call = peer.call;
      let i = 0;
      while (i < peer.queue.length && !peer.blocked) {
        const parts: Uint8Array[] = [];
        let size = 0;
        const types: string[] = [];
        while (i < peer.queue.length) {
          const q = peer.queue[i]!;
          const add = framedLength(q.bytes.length);
          if (parts.length > 0 && size + add > this.opts.maxFrameBytes) break;
          parts.push(q.bytes);
          types.push(q.type);
          size += add;
          i++;
        }
        const frame = encodeBusFrameParts(null, parts);
        const more = call.write(frame);
        this.counters.framesSent++;
        this.counters.messagesSent += parts.length;
        this.counters.bytesSent += frame.length;
        for (const t of types) bump(this.counters.sentByType, t);
        if (!more) peer.blocked = true; // resumes on 'drain'
      }
      let bytesLeft = 0;
      peer.queue = i === peer.queue.length ? [] : peer.queue.slice(i);
      for (const q of peer.queue) bytesLeft += q.bytes.length;
      peer.queuedBytes = bytesLeft;
    }
  }

  // -------------------------------------------------------------------------
  // Inbound

  private acceptLink(call: grpc.ServerDuplexStream<Buffer, Buffer>): void {
    if (this.closed) {
      call.destroy();
      return;
    }
    const link: InboundLink = { call, createdMs: this.opts.clock(), handshake: null };
    this.inbound.add(link);
    const done = (): void => {
      this.inbound.delete(link);
    };
    call.on('data', (buf: Buffer) => this.onInboundFrame(link, buf));
    call.on('end', () => {
      done();
      call.end();
    });
    call.on('error', done);
    call.on('close', done);
    call.on('cancelled', done);
  }

  private onInboundFrame(link: InboundLink, buf: Buffer): void {
    if (this.closed) return;
    let frame;
    try {
      frame = decodeBusFrame(buf);
    } catch (err) {
      this.counters.decodeErrors++;
      this.rejectLink(link, grpc.status.INVALID_ARGUMENT, err instanceof BusCodecError ? err.message : String(err));
      return;
    }
    this.counters.framesReceived++;
    this.counters.bytesReceived += buf.length;
    if (link.handshake === null) {
      const hs = frame.handshake;
      if (!hs) {
        this.rejectLink(link, grpc.status.FAILED_PRECONDITION, 'first frame must carry a handshake');
        return;
      }
      if (hs.protocolVersion < BUS_MIN_PROTOCOL_VERSION) {
        this.rejectLink(link, grpc.status.FAILED_PRECONDITION, `bus protocol ${hs.protocolVersion} is older than ${BUS_MIN_PROTOCOL_VERSION}`);
        return;
      }
      link.handshake = hs;
      const me = this.opts.identity();
      link.call.write(
        encodeBusFrameParts(
          encodeHandshake({ protocolVersion: BUS_PROTOCOL_VERSION, nodeId: me.id, ip: me.ip, port: me.port, busPort: me.busPort, dialedIp: '', dialedBusPort: 0 }),
          [],
        ),
      );
    }
    this.counters.skippedUnknown += frame.skippedUnknown;
    if (frame.messages.length === 0) return;
    const from: InboundPeer = { nodeId: link.handshake.nodeId, ip: link.handshake.ip, busPort: link.handshake.busPort, socketPeer: link.call.getPeer() };
    for (const msg of frame.messages) {
      this.counters.messagesReceived++;
      bump(this.counters.receivedByType, redisMessageTypeName(msg));
      this.opts.onMessage(msg, from);
      if (this.closed) return;
    }
  }

  private rejectLink(link: InboundLink, code: grpc.status, details: string): void {
    this.warnRateLimited(`reject:${link.call.getPeer()}`, 'Cluster bus: closing inbound link', { peer: link.call.getPeer(), reason: details });
    this.inbound.delete(link);
    // grpc-js turns an 'error' on a server stream into the call's final status.
    link.call.emit('error', { code, details, metadata: new grpc.Metadata() });
  }

  /** Logs at most one line per key per 10 s: peers misbehave in bursts. */
  private warnRateLimited(key: string, msg: string, fields: Record<string, string | number>): void {
    const now = this.opts.clock();
    const last = this.lastWarnMs.get(key);
    if (last !== undefined && now - last < 10_000) return;
    if (this.lastWarnMs.size > 1000) this.lastWarnMs.clear();
    this.lastWarnMs.set(key, now);
    this.log.warn(msg, fields);
  }
}
