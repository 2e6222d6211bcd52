// Pub/Sub: channel and pattern subscriptions and message delivery, plus
// keyspace notifications (notify-keyspace-events) which are published here.

import type { Session } from '../commands/session.js';
import type { NodeState } from '../commands/node-state.js';

export class PubSubHub {
  readonly channels = new Map<string, Set<Session>>();
  readonly patterns = new Map<string, Set<Session>>();

  constructor(private readonly node: NodeState) {}

  /** Delivers message to subscribers of channel; returns how many received it. */
  publish(channel: string, message: string): number {
    let n = 0;
    const subs = this.channels.get(channel);
    if (subs) {
      for (const s of subs) {
        this.node.deliver(s, (w) => {
          w.push(3);
          w.bulk('message');
          w.bulk(channel);
          w.bulk(message);
        });
        n++;
      }
    }
    return n;
  }

  /** A keyspace event from the keyspace or a command; filtered by notify-keyspace-events. */
  keyEvent(_cls: string, _event: string, _key: string, _db: number): void {}

  /** Drops every subscription of a closing session. */
  removeSession(_s: Session): void {}
}
