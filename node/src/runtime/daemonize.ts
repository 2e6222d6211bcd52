// --daemonize yes without fork(): Node cannot fork, so the foreground process
// re-spawns itself detached (stdio to the logfile or /dev/null) and exits
// once the child reports that it listens and wrote its pidfile, with the
// child's exit code if the child fails first. Scripts that start
// redis-server --daemonize yes and then read the pidfile work unchanged.

import { spawn } from 'node:child_process';
import { openSync, writeFileSync, unlinkSync } from 'node:fs';

/** Set in the child's environment so it does not daemonize again. */
const CHILD_ENV = 'TESSERA_DAEMON_CHILD';

export function isDaemonChild(): boolean {
  return process.env[CHILD_ENV] === '1';
}

/** Spawns the detached child and never returns: exits 0 once it is ready, or with its code. */
export function daemonize(opts: { logfile: string; cwd: string; timeoutMs?: number }): Promise<never> {
  const out = opts.logfile ? openSync(opts.logfile, 'a') : 'ignore';
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    cwd: opts.cwd,
    detached: true,
    env: { ...process.env, [CHILD_ENV]: '1' },
    stdio: ['ignore', out, out, 'ipc'],
  });
  return new Promise<never>(() => {
    const timer = setTimeout(() => process.exit(1), opts.timeoutMs ?? 30000);
    child.once('message', () => {
      clearTimeout(timer);
      child.disconnect();
      child.unref();
      process.exit(0);
    });
    child.once('exit', (code) => process.exit(code ?? 1));
  });
}

/** Tells the waiting parent (if any) that the daemon is up. */
export function reportDaemonReady(): void {
  if (process.send) {
    process.send('ready');
    process.disconnect();
  }
}

/** Writes the pidfile and removes it when the process exits; returns an error reason or null. */
export function writePidfile(file: string): string | null {
  try {
    writeFileSync(file, `${process.pid}\n`);
  } catch (e) {
    return (e as Error).message;
  }
  process.on('exit', () => {
    try {
      unlinkSync(file);
    } catch {
      // Already removed: nothing to clean up.
    }
  });
  return null;
}
