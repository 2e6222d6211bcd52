// Retries an assertion until it passes or the time is up; the last failure
// is in the error, so a timed-out wait says what it was still seeing.
export async function eventually<T>(check: () => Promise<T>, opts: { timeoutMs: number; what: string; everyMs?: number }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`${opts.what}: not reached within ${opts.timeoutMs} ms: ${(last as Error)?.message ?? String(last)}`);
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 100));
  }
}
