// Counters of the cluster bus, shaped for CLUSTER INFO and INFO: totals per
// Redis message type name (cluster_stats_messages_<type>_sent/_received) and
// per-second rates computed like Redis's instantaneous_* metrics (samples
// taken by the runtime's tick, averaged over a short window). Pure: the
// caller passes the time.

export interface BusCounters {
  messagesSent: number;
  messagesReceived: number;
  bytesSent: number;
  bytesReceived: number;
  framesSent: number;
  framesReceived: number;
  /** Per Redis type name: ping, pong, meet, fail, publish, publishshard, auth-req, auth-ack, update, mfstart. */
  readonly sentByType: Map<string, number>;
  readonly receivedByType: Map<string, number>;
  /** Messages dropped because a peer's queue was full (unreachable or slow peer). */
  droppedQueueFull: number;
  /** Messages the core produced that the wire cannot carry (a core bug): not sent. */
  encodeErrors: number;
  /** Frames from peers that failed to decode (the stream is closed). */
  decodeErrors: number;
  /** Messages of a kind this node does not know (a newer peer), skipped. */
  skippedUnknown: number;
}

export function newCounters(): BusCounters {
  return {
    messagesSent: 0,
    messagesReceived: 0,
    bytesSent: 0,
    bytesReceived: 0,
    framesSent: 0,
    framesReceived: 0,
    sentByType: new Map(),
    receivedByType: new Map(),
    droppedQueueFull: 0,
    encodeErrors: 0,
    decodeErrors: 0,
    skippedUnknown: 0,
  };
}

export function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

export interface BusRates {
  messagesSentPerSec: number;
  messagesReceivedPerSec: number;
  bytesSentPerSec: number;
  bytesReceivedPerSec: number;
}

interface Sample {
  readonly atMs: number;
  readonly messagesSent: number;
  readonly messagesReceived: number;
  readonly bytesSent: number;
  readonly bytesReceived: number;
}

/**
 * Rates over the last `windowSamples` samples (Redis uses 16 samples taken
 * every 100 ms). Sampling is driven by the caller so tests control time.
 */
export class RateMeter {
  private readonly samples: Sample[] = [];

  constructor(private readonly windowSamples = 16) {}

  sample(c: BusCounters, nowMs: number): void {
    this.samples.push({
      atMs: nowMs,
      messagesSent: c.messagesSent,
      messagesReceived: c.messagesReceived,
      bytesSent: c.bytesSent,
      bytesReceived: c.bytesReceived,
    });
    if (this.samples.length > this.windowSamples + 1) this.samples.shift();
  }

  rates(): BusRates {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last.atMs <= first.atMs) {
      return { messagesSentPerSec: 0, messagesReceivedPerSec: 0, bytesSentPerSec: 0, bytesReceivedPerSec: 0 };
    }
    const sec = (last.atMs - first.atMs) / 1000;
    const per = (a: number, b: number): number => Math.round((b - a) / sec);
    return {
      messagesSentPerSec: per(first.messagesSent, last.messagesSent),
      messagesReceivedPerSec: per(first.messagesReceived, last.messagesReceived),
      bytesSentPerSec: per(first.bytesSent, last.bytesSent),
      bytesReceivedPerSec: per(first.bytesReceived, last.bytesReceived),
    };
  }
}

/** Redis's CLUSTER INFO order of message types. */
const REDIS_TYPE_ORDER = ['ping', 'pong', 'meet', 'fail', 'publish', 'publishshard', 'auth-req', 'auth-ack', 'update', 'mfstart', 'module'];

/**
 * The cluster_stats_messages_* lines of CLUSTER INFO, as Redis prints them:
 * per-type lines only for types seen at least once, totals always.
 */
export function clusterInfoStatsLines(c: BusCounters): string[] {
  const lines: string[] = [];
  const ordered = (m: Map<string, number>): string[] => [...m.keys()].sort((a, b) => rank(a) - rank(b));
  for (const t of ordered(c.sentByType)) lines.push(`cluster_stats_messages_${t}_sent:${c.sentByType.get(t) ?? 0}`);
  lines.push(`cluster_stats_messages_sent:${c.messagesSent}`);
  for (const t of ordered(c.receivedByType)) lines.push(`cluster_stats_messages_${t}_received:${c.receivedByType.get(t) ?? 0}`);
  lines.push(`cluster_stats_messages_received:${c.messagesReceived}`);
  return lines;
}

function rank(type: string): number {
  const i = REDIS_TYPE_ORDER.indexOf(type);
  return i < 0 ? REDIS_TYPE_ORDER.length : i;
}
