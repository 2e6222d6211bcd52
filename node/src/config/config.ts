// Config holds the current value of every directive as the string CONFIG GET
// shows, validates changes against the table, and tells listeners what
// changed. Hot-path values (requirepass, maxmemory) are cached as fields.

import { DIRECTIVES, type Directive } from './table.js';

export type ConfigListener = (name: string, value: string) => void;

export class Config {
  private readonly values = new Map<string, string>();
  private readonly byName = new Map<string, Directive>();
  private readonly listeners: ConfigListener[] = [];
  private cachedRequirepass = '';
  private cachedMaxmemory = 0;

  constructor() {
    for (const d of DIRECTIVES) {
      this.byName.set(d.name, d);
      for (const a of d.aliases ?? []) this.byName.set(a, d);
      this.values.set(d.name, d.default);
    }
    this.refreshCache();
  }

  directive(name: string): Directive | undefined {
    return this.byName.get(name.toLowerCase());
  }

  all(): readonly Directive[] {
    return DIRECTIVES;
  }

  get(name: string): string | undefined {
    const d = this.directive(name);
    return d ? this.values.get(d.name) : undefined;
  }

  getNumber(name: string): number {
    return Number(this.get(name) ?? 0);
  }

  getBool(name: string): boolean {
    return this.get(name) === 'yes';
  }

  /** Sets a value; returns an error reason (Redis's words) or null. */
  set(name: string, value: string): string | null {
    const d = this.directive(name);
    if (!d) return 'Unknown option or number of arguments for CONFIG SET';
    this.values.set(d.name, value);
    this.refreshCache();
    for (const l of this.listeners) l(d.name, value);
    return null;
  }

  onChange(l: ConfigListener): void {
    this.listeners.push(l);
  }

  private refreshCache(): void {
    this.cachedRequirepass = this.values.get('requirepass') ?? '';
    this.cachedMaxmemory = Number(this.values.get('maxmemory') ?? 0);
  }

  requirepass(): string {
    return this.cachedRequirepass;
  }

  maxmemoryBytes(): number {
    return this.cachedMaxmemory;
  }
}
