// The set of connected sessions, by id, for CLIENT LIST/KILL/INFO and INFO clients.

import type { Session } from '../commands/session.js';

export class ClientRegistry {
  private nextId = 1;
  readonly byId = new Map<number, Session>();

  allocateId(): number {
    return this.nextId++;
  }

  add(s: Session): void {
    this.byId.set(s.id, s);
  }

  remove(s: Session): void {
    this.byId.delete(s.id);
  }

  get count(): number {
    return this.byId.size;
  }
}
