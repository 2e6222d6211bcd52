// `npm run difftest -- [--seed N] [--count M] [--resp 2|3] [--max-diffs K]
//   [--redis-port P] [--tessera-port P] [--dump FILE] [--snapshot-every S] [--skip-missing yes]`
// --skip-missing yes leaves out the commands tessera does not have yet (their absence also breaks the keyspace
// for everything else), so the report shows the differences of the commands that have landed.
// Runs the differential sequence and prints the report. Without ports it
// starts its own redis-server and tessera-server (and stops them by pid).

import { writeFileSync } from 'node:fs';
import { startServer, type ServerHandle } from '../support/server-process.js';
import { runDifferential, type Endpoint } from './runner.js';
import { formatReport } from './report.js';
import { dump, generate } from './sequence.js';

function parseArgs(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${a} needs a value`);
    out.set(a.slice(2), v);
    i++;
  }
  return out;
}

function num(args: Map<string, string>, name: string, dflt: number): number {
  const v = args.get(name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`--${name} must be an integer`);
  return n;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const seed = num(args, 'seed', 1);
  const count = num(args, 'count', 20000);
  const resp = num(args, 'resp', 2);
  if (resp !== 2 && resp !== 3) throw new Error('--resp must be 2 or 3');
  const dumpTo = args.get('dump');
  if (dumpTo) writeFileSync(dumpTo, dump(generate(seed, count)));
  const started: ServerHandle[] = [];
  try {
    let redis: Endpoint;
    let tessera: Endpoint;
    if (args.has('redis-port')) redis = { host: '127.0.0.1', port: num(args, 'redis-port', 6379) };
    else {
      const h = await startServer(['--hz', '100'], { binary: 'redis' });
      started.push(h);
      redis = h;
    }
    if (args.has('tessera-port')) tessera = { host: '127.0.0.1', port: num(args, 'tessera-port', 7000) };
    else {
      const h = await startServer([]);
      started.push(h);
      tessera = h;
    }
    const result = await runDifferential(redis, tessera, {
      seed,
      count,
      resp,
      maxDiffs: num(args, 'max-diffs', 200),
      snapshotEvery: num(args, 'snapshot-every', 2000),
      flushFirst: args.has('redis-port') || args.has('tessera-port'),
      skipMissing: args.get('skip-missing') === 'yes',
    });
    console.log(formatReport(result, { maxDiffs: num(args, 'max-diffs', 200), skipMissing: args.get('skip-missing') === 'yes' }));
    return result.diffCount === 0 && !result.fatal ? 0 : 1;
  } finally {
    for (const h of started) await h.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
