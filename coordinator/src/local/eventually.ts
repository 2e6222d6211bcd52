// Waiting for a condition of a real, multi-process system: poll `check` until
// it returns a value (not undefined/false) or the deadline passes, then fail
// with the last reason. This replaces bare sleeps in scripts and chaos tests
// (STYLE.md point 9): the wait is as short as the system allows, and a
// timeout says what was not reached.

export interface EventuallyOptions {
  readonly timeoutMs: number;
  readonly intervalMs?: number;
  /** What is being waited for, for the timeout message. */
  readonly what?: string;
}

export class EventuallyTimeout extends Error {
  override readonly name = 'EventuallyTimeout';
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
  }
}

/**
 * `check` returns the value to resolve with, or undefined/false to keep
 * waiting; a thrown error also means "not yet" (a node still starting).
 */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  opts: EventuallyOptions,
): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  const intervalMs = opts.intervalMs ?? 100;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== false) return v;
      last = undefined;
    } catch (e) {
      last = e;
    }
    if (Date.now() >= deadline) {
      const reason = last instanceof Error ? `: ${last.message}` : '';
      throw new EventuallyTimeout(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what ?? 'condition'}${reason}`, last);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
