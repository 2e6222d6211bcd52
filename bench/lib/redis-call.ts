// One-off commands of the benches' setup steps (CLUSTER MYID, ADDSLOTS, MEET,
// DBSIZE ...): a fresh connection per call, so a node that restarted or is
// not listening yet costs nothing but the failed call.

import { Redis } from 'ioredis';
import { sleep } from './procs.js';

export async function call(port: number, ...args: string[]): Promise<unknown> {
  const r = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  // A refused connect is reported by connect()'s rejection; the event would only add noise.
  r.on('error', () => undefined);
  await r.connect();
  try {
    return await r.call(args[0]!, ...args.slice(1));
  } finally {
    r.disconnect();
  }
}

/** Polls check every 100 ms (a throw counts as "not yet") until it holds, or throws after timeoutMs. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}
