// Pub/Sub: channel, pattern and shard-channel subscriptions and message
// delivery, plus keyspace notifications (notify-keyspace-events), which are
// ordinary publishes on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>.
// Frames are written as Redis writes them: RESP3 clients get push frames,
// RESP2 clients arrays of the same shape.

import type { Session } from '../commands/session.js';
import type { NodeState } from '../commands/node-state.js';
import type { ReplyWriter } from '../resp/writer.js';
import { globMatch } from '../core/glob.js';
import { NOTIFY, notifyClassFlag } from '../config/notify-flags.js';

/** The three kinds of subscription differ only in their words and the session set they use. */
interface Kind {
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly mine: (s: Session) => Set<string>;
  /** The count Redis reports after each (un)subscribe: shard channels are counted apart. */
  readonly count: (s: Session) => number;
}

const CHANNELS: Kind = {
  subscribe: 'subscribe',
  unsubscribe: 'unsubscribe',
  mine: (s) => s.channels,
  count: (s) => s.channels.size + s.patterns.size,
};
const PATTERNS: Kind = {
  subscribe: 'psubscribe',
  unsubscribe: 'punsubscribe',
  mine: (s) => s.patterns,
  count: (s) => s.channels.size + s.patterns.size,
};
const SHARD: Kind = {
  subscribe: 'ssubscribe',
  unsubscribe: 'sunsubscribe',
  mine: (s) => s.shardChannels,
  count: (s) => s.shardChannels.size,
};

export class PubSubHub {
  readonly channels = new Map<string, Set<Session>>();
  readonly patterns = new Map<string, Set<Session>>();
  readonly shardChannels = new Map<string, Set<Session>>();

  constructor(private readonly node: NodeState) {}

  private registry(kind: Kind): Map<string, Set<Session>> {
    return kind === CHANNELS ? this.channels : kind === PATTERNS ? this.patterns : this.shardChannels;
  }

  private confirm(s: Session, word: string, name: string | null, count: number): void {
    const w = s.out;
    w.push(3);
    w.bulk(word);
    if (name === null) w.nil();
    else w.bulk(name);
    w.int(count);
  }

  private add(kind: Kind, s: Session, names: readonly string[]): void {
    const reg = this.registry(kind);
    const mine = kind.mine(s);
    for (const name of names) {
      if (!mine.has(name)) {
        mine.add(name);
        let subs = reg.get(name);
        if (!subs) reg.set(name, (subs = new Set()));
        subs.add(s);
      }
      this.confirm(s, kind.subscribe, name, kind.count(s));
    }
  }

  /** Unsubscribes from names (all when empty), confirming each; returns nothing to the caller. */
  private remove(kind: Kind, s: Session, names: readonly string[], notify: boolean): void {
    const mine = kind.mine(s);
    const list = names.length ? names : [...mine];
    if (list.length === 0) {
      // Redis answers an UNSUBSCRIBE with nothing to drop by one frame with a null name.
      if (notify) this.confirm(s, kind.unsubscribe, null, kind.count(s));
      return;
    }
    const reg = this.registry(kind);
    for (const name of list) {
      if (mine.delete(name)) {
        const subs = reg.get(name);
        if (subs) {
          subs.delete(s);
          if (subs.size === 0) reg.delete(name);
        }
      }
      if (notify) this.confirm(s, kind.unsubscribe, name, kind.count(s));
    }
  }

  subscribe(s: Session, channels: readonly string[]): void {
    this.add(CHANNELS, s, channels);
  }

  unsubscribe(s: Session, channels: readonly string[]): void {
    this.remove(CHANNELS, s, channels, true);
  }

  psubscribe(s: Session, patterns: readonly string[]): void {
    this.add(PATTERNS, s, patterns);
  }

  punsubscribe(s: Session, patterns: readonly string[]): void {
    this.remove(PATTERNS, s, patterns, true);
  }

  ssubscribe(s: Session, channels: readonly string[]): void {
    this.add(SHARD, s, channels);
  }

  sunsubscribe(s: Session, channels: readonly string[]): void {
    this.remove(SHARD, s, channels, true);
  }

  /** Delivers message to subscribers of channel and of matching patterns; returns how many received it. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const s of subs) {
        this.node.deliver(s, (w) => writeMessage(w, 'message', null, channel, message));
        n++;
      }
    }
    if (this.patterns.size) {
      for (const [pattern, psubs] of this.patterns) {
        if (!globMatch(pattern, channel)) continue;
        for (const s of psubs) {
          this.node.deliver(s, (w) => writeMessage(w, 'pmessage', pattern, channel, message));
          n++;
        }
      }
    }
    return n;
  }

  /** SPUBLISH: shard channels have no patterns. */
  spublish(channel: string, message: string): number {
    const subs = this.shardChannels.get(channel);
    if (!subs) return 0;
    for (const s of subs) this.node.deliver(s, (w) => writeMessage(w, 'smessage', null, channel, message));
    return subs.size;
  }

  /** Number of distinct patterns with a subscriber (PUBSUB NUMPAT). */
  get patternCount(): number {
    return this.patterns.size;
  }

  /** A keyspace event from the keyspace or a command; filtered by notify-keyspace-events. */
  keyEvent(cls: string, event: string, key: string, db: number): void {
    const flags = this.node.config.notifyFlags();
    if (flags === 0 || (flags & notifyClassFlag(cls)) === 0) return;
    if (flags & NOTIFY.keyspace) this.publish(`__keyspace@${db}__:${key}`, event);
    if (flags & NOTIFY.keyevent) this.publish(`__keyevent@${db}__:${event}`, key);
  }

  /** Drops every subscription of a closing session (no frames: the client is gone). */
  removeSession(s: Session): void {
    if (s.subscriptionCount === 0) return;
    this.remove(CHANNELS, s, [], false);
    this.remove(PATTERNS, s, [], false);
    this.remove(SHARD, s, [], false);
  }
}

function writeMessage(w: ReplyWriter, kind: string, pattern: string | null, channel: string, message: string): void {
  w.push(pattern === null ? 3 : 4);
  w.bulk(kind);
  if (pattern !== null) w.bulk(pattern);
  w.bulk(channel);
  w.bulk(message);
}
