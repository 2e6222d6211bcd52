// Runs a generated sequence against redis-server and tessera-server at the
// same time and compares the replies step by step. Plain commands are
// pipelined in batches; blocking commands, SCAN iterations and SPOP (whose
// put-back depends on its reply) are sent on their own. Every
// `snapshotEvery` steps the whole keyspace of both servers is read over a
// second connection and compared, so a divergence is located even when no
// reply shows it.

import { RawClient, type Reply } from './client.js';
import type { Cmd, Step } from './gen.js';
import { EXACT, PAIRS, SORTED, canon, compareReplies, isError, itemsOf, pairsOf, show, HELLO, type Check } from './normalise.js';
import { checkPick, pickedNames } from './picks.js';
import { bareCommand, commandCount, coverage, generate, stepCommands } from './sequence.js';
import { TABLE } from './commands.js';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface RunOptions {
  readonly seed: number;
  readonly count: number;
  readonly resp: 2 | 3;
  readonly minPerCommand?: number;
  /** Commands per pipelined batch. */
  readonly batchSize?: number;
  /** Differences kept in full (all are counted). */
  readonly maxDiffs?: number;
  /** Compare the whole keyspaces every this many steps (0: only at the end). */
  readonly snapshotEvery?: number;
  /** Send FLUSHALL to both servers first (when they are reused between passes). */
  readonly flushFirst?: boolean;
  /** Give up waiting for a reply after this long (a hung or crashed server). */
  readonly replyTimeoutMs?: number;
  /** Leave out the commands tessera answers with "unknown command", for a report focused on the ones it has. */
  readonly skipMissing?: boolean;
}

export interface Diff {
  /** Index of the step in the generated sequence (-1: setup). */
  readonly step: number;
  readonly name: string;
  readonly command: readonly string[];
  readonly redis: string;
  readonly tessera: string;
  readonly note: string;
}

export interface CommandStats {
  issued: number;
  diffs: number;
}

export interface RunResult {
  readonly seed: number;
  readonly count: number;
  readonly resp: 2 | 3;
  readonly commands: number;
  readonly steps: number;
  readonly coverage: Map<string, number>;
  readonly perCommand: Map<string, CommandStats>;
  readonly diffs: Diff[];
  diffCount: number;
  /** Commands of the table tessera does not know (probed before the run). */
  readonly missing: string[];
  /** Set when the run stopped early (a server closed the connection or stopped answering). */
  fatal: string | null;
  readonly elapsedMs: number;
}

const MAX_SCAN_CALLS = 2000;

class Side {
  constructor(
    readonly redis: RawClient,
    readonly tessera: RawClient,
    private readonly timeoutMs: number,
  ) {}

  /** Sends the same commands to both servers; resolves with both reply lists. */
  both(cmds: readonly (readonly string[])[]): Promise<[Reply[], Reply[]]> {
    return Promise.all([this.one(this.redis, cmds), this.one(this.tessera, cmds)]);
  }

  one(c: RawClient, cmds: readonly (readonly string[])[]): Promise<Reply[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${c.label}: no reply within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    return Promise.race([c.send(cmds), timeout]).finally(() => clearTimeout(timer));
  }

  close(): void {
    this.redis.close();
    this.tessera.close();
  }
}

function probeCheck(of: 'set' | 'hash' | 'zset' | 'keys'): Check {
  return of === 'hash' ? PAIRS : of === 'zset' ? EXACT : SORTED;
}

export async function runDifferential(redisAt: Endpoint, tesseraAt: Endpoint, opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const missing = await missingCommands(tesseraAt);
  const steps = generate(opts.seed, opts.count, opts.minPerCommand, new Set(opts.skipMissing ? missing : []));
  const maxDiffs = opts.maxDiffs ?? 200;
  const batchSize = opts.batchSize ?? 200;
  const snapshotEvery = opts.snapshotEvery ?? 2000;
  const perCommand = new Map<string, CommandStats>();
  for (const s of steps) {
    for (const c of stepCommands(s)) {
      const st = perCommand.get(c.name) ?? { issued: 0, diffs: 0 };
      st.issued++;
      perCommand.set(c.name, st);
    }
  }
  const result: RunResult = {
    seed: opts.seed,
    count: opts.count,
    resp: opts.resp,
    commands: commandCount(steps),
    steps: steps.length,
    coverage: coverage(steps),
    perCommand,
    missing,
    diffs: [],
    diffCount: 0,
    fatal: null,
    elapsedMs: 0,
  };
  const record = (step: number, cmd: Cmd | null, redis: string, tessera: string, note: string): void => {
    result.diffCount++;
    const name = cmd?.name ?? '(state)';
    const st = perCommand.get(name) ?? { issued: 0, diffs: 0 };
    st.diffs++;
    perCommand.set(name, st);
    if (result.diffs.length < maxDiffs) result.diffs.push({ step, name, command: cmd?.args ?? [], redis, tessera, note });
  };
  const compare = (step: number, cmd: Cmd, check: Check, r: Reply, t: Reply): void => {
    const why = compareReplies(check, r, t);
    if (why !== null) record(step, cmd, show(r, why.includes('wire')), show(t, why.includes('wire')), why);
  };

  const timeoutMs = opts.replyTimeoutMs ?? 15000;
  const main = new Side(
    await RawClient.connect(redisAt.host, redisAt.port, 'redis'),
    await RawClient.connect(tesseraAt.host, tesseraAt.port, 'tessera'),
    timeoutMs,
  );
  const probe = new Side(
    await RawClient.connect(redisAt.host, redisAt.port, 'redis (snapshot)'),
    await RawClient.connect(tesseraAt.host, tesseraAt.port, 'tessera (snapshot)'),
    timeoutMs,
  );
  let reportedStateKeys = new Set<string>();
  const checkState = async (afterStep: number): Promise<void> => {
    const [a, b] = await Promise.all([snapshot(probe, probe.redis), snapshot(probe, probe.tessera)]);
    const differing: string[] = [];
    for (const k of new Set([...a.keys(), ...b.keys()])) if (a.get(k) !== b.get(k)) differing.push(k);
    if (differing.length === 0) {
      reportedStateKeys = new Set();
      return;
    }
    if (differing.every((k) => reportedStateKeys.has(k))) return;
    reportedStateKeys = new Set(differing);
    differing.sort();
    const shown = differing.slice(0, 8);
    record(
      afterStep,
      null,
      shown.map((k) => `${k} => ${a.get(k) ?? '(absent)'}`).join('; '),
      shown.map((k) => `${k} => ${b.get(k) ?? '(absent)'}`).join('; '),
      `keyspaces differ after step ${afterStep} in ${differing.length} key(s)`,
    );
  };

  try {
    if (opts.resp === 3) {
      const [[r], [t]] = await main.both([['HELLO', '3']]);
      compare(-1, { name: 'hello', args: ['HELLO', '3'], check: HELLO }, HELLO, r!, t!);
      await probe.both([['HELLO', '3']]);
    }
    if (opts.flushFirst) {
      const [[r], [t]] = await main.both([['FLUSHALL']]);
      compare(-1, { name: 'flushall', args: ['FLUSHALL'], check: EXACT }, EXACT, r!, t!);
    }

    let batch: { index: number; step: Step; from: number }[] = [];
    let batchCmds: string[][] = [];
    const flush = async (): Promise<void> => {
      if (batchCmds.length === 0) return;
      const [rs, ts] = await main.both(batchCmds);
      for (const { index, step, from } of batch) compareBatched(index, step, rs.slice(from), ts.slice(from));
      batch = [];
      batchCmds = [];
    };
    const compareBatched = (index: number, step: Step, rs: Reply[], ts: Reply[]): void => {
      if (step.t === 'cmd') compare(index, step.cmd, step.cmd.check, rs[0]!, ts[0]!);
      else if (step.t === 'pick') comparePick(index, step, rs[0]!, ts[0]!, rs[1]!, ts[1]!);
      else if (step.t === 'group') compareGroup(index, step.cmds, rs, ts);
    };
    const comparePick = (index: number, step: Extract<Step, { t: 'pick' }>, rProbe: Reply, tProbe: Reply, r: Reply, t: Reply): void => {
      const probeDiff = compareReplies(probeCheck(step.pick.of), rProbe, tProbe);
      if (probeDiff !== null) {
        record(index, step.cmd, show(rProbe), show(tProbe), `state before the pick differs (${step.probe.join(' ')}); pick not checked`);
        return;
      }
      if (isError(r.value) || isError(t.value) || r.value === null || t.value === null) {
        compare(index, step.cmd, EXACT, r, t);
        return;
      }
      const rBad = checkPick(step.pick, rProbe.value, r.value);
      const tBad = checkPick(step.pick, tProbe.value, t.value);
      if (tBad !== null) record(index, step.cmd, show(r), show(t), `invalid pick: ${tBad}`);
      else if (rBad !== null) record(index, step.cmd, show(r), show(t), `CHECKER BUG, redis's pick judged invalid: ${rBad}`);
      else if ([...r.types].sort().join() !== [...t.types].sort().join()) {
        record(index, step.cmd, show(r, true), show(t, true), 'same kind of pick, different RESP wire types');
      }
    };
    const compareGroup = (index: number, cmds: readonly Cmd[], rs: Reply[], ts: Reply[]): void => {
      const multiAt = cmds.findIndex((c) => c.name === 'multi');
      const last = cmds.length - 1;
      const execAt = cmds[last]?.name === 'exec' ? last : -1;
      cmds.forEach((c, i) => {
        if (i === execAt) return;
        // Inside the transaction the immediate reply is QUEUED or a rejection; the real check applies at EXEC.
        compare(index, c, multiAt >= 0 && i > multiAt && i < last ? EXACT : c.check, rs[i]!, ts[i]!);
      });
      if (execAt < 0) return;
      const r = rs[execAt]!;
      const t = ts[execAt]!;
      const rItems = Array.isArray(r.value) ? r.value : null;
      const tItems = Array.isArray(t.value) ? t.value : null;
      const queuedOf = (replies: Reply[]): number[] => {
        const out: number[] = [];
        for (let i = multiAt + 1; i < execAt; i++) if (replies[i]!.value === 'QUEUED') out.push(i);
        return out;
      };
      const rq = queuedOf(rs);
      const tq = queuedOf(ts);
      if (!rItems || !tItems || rq.join() !== tq.join() || rItems.length !== tItems.length || rItems.length !== rq.length) {
        compare(index, cmds[execAt]!, EXACT, r, t);
        return;
      }
      // Split the EXEC reply into one reply per queued command (wire types are not split: compared as a whole).
      for (let k = 0; k < rq.length; k++) {
        const inner = cmds[rq[k]!]!;
        const why = compareReplies(inner.check, { value: rItems[k]!, types: [] }, { value: tItems[k]!, types: [] });
        if (why !== null) {
          record(index, inner, canon(rItems[k]!), canon(tItems[k]!), `inside EXEC (element ${k}): ${why}`);
          return;
        }
      }
      if ([...r.types].sort().join() !== [...t.types].sort().join()) {
        record(index, cmds[execAt]!, show(r, true), show(t, true), 'EXEC: same values, different RESP wire types');
      }
    };

    for (let index = 0; index < steps.length; index++) {
      const step = steps[index]!;
      const interactive = step.t === 'scan' || (step.t === 'pick' && step.pick.removes) || (step.t === 'cmd' && step.sync);
      if (interactive) {
        await flush();
        if (step.t === 'scan') await runScan(main, index, step, record);
        else if (step.t === 'pick') {
          const [rs, ts] = await main.both([step.probe, step.cmd.args]);
          comparePick(index, step, rs[0]!, ts[0]!, rs[1]!, ts[1]!);
          // Each server puts back what it popped, so both keyspaces are again equal (the pre-pick state).
          const putBack = (rep: Reply): string[][] => {
            const names = isError(rep.value) ? [] : [...new Set(pickedNames(rep.value))];
            return names.length ? [['SADD', step.key, ...names]] : [];
          };
          await Promise.all([main.one(main.redis, putBack(rs[1]!)), main.one(main.tessera, putBack(ts[1]!))]);
        } else {
          const [[r], [t]] = await main.both([step.cmd.args]);
          compare(index, step.cmd, step.cmd.check, r!, t!);
        }
      } else {
        const from = batchCmds.length;
        if (step.t === 'pick') batchCmds.push(step.probe, step.cmd.args);
        else for (const c of stepCommands(step)) batchCmds.push(c.args);
        batch.push({ index, step, from });
        if (batchCmds.length >= batchSize) await flush();
      }
      if (snapshotEvery > 0 && (index + 1) % snapshotEvery === 0) {
        await flush();
        await checkState(index);
      }
    }
    await flush();
    await checkState(steps.length - 1);
  } catch (e) {
    result.fatal = (e as Error).message;
  } finally {
    main.close();
    probe.close();
  }
  return { ...result, elapsedMs: Date.now() - started };
}

/** Coverage names whose bare command the server answers with "unknown command" / "unknown subcommand". */
async function missingCommands(at: Endpoint): Promise<string[]> {
  const names = Object.keys(TABLE).filter((n) => n !== 'unknown' && n !== 'object|unknown' && n !== 'arity');
  // MULTI last: once it runs, the rest of the pipeline would only be queued. The connection is thrown away.
  names.sort((a, b) => Number(a === 'multi') - Number(b === 'multi'));
  const c = await RawClient.connect(at.host, at.port, 'tessera (probe)');
  try {
    const replies = await c.send(names.map(bareCommand));
    return names.filter((_, i) => {
      const v = replies[i]!.value;
      return isError(v) && /^ERR unknown (sub)?command/.test(v.message);
    });
  } finally {
    c.close();
  }
}

async function runScan(
  side: Side,
  index: number,
  step: Extract<Step, { t: 'scan' }>,
  record: (step: number, cmd: Cmd | null, redis: string, tessera: string, note: string) => void,
): Promise<void> {
  const iterate = async (c: RawClient): Promise<{ error: Reply | null; items: Set<string>; calls: number; shape: string }> => {
    const items = new Set<string>();
    const args = [...step.cmd.args];
    let shape = '';
    for (let calls = 1; calls <= MAX_SCAN_CALLS; calls++) {
      const [rep] = await side.one(c, [args]);
      const v = rep!.value;
      if (isError(v)) return { error: rep!, items, calls, shape };
      const parts = itemsOf(v);
      const elems = parts?.[1] === undefined ? null : itemsOf(parts[1]);
      const cur = parts?.[0];
      if (!parts || parts.length !== 2 || typeof cur !== 'string' || !elems) return { error: rep!, items, calls, shape };
      if (calls === 1) shape = rep!.types.slice(0, 3).join(' ');
      if (step.pairs) {
        const pairs = pairsOf(elems);
        if (!pairs) return { error: rep!, items, calls, shape };
        for (const [k, x] of pairs) items.add(`${canon(k)}: ${canon(x)}`);
      } else for (const x of elems) items.add(canon(x));
      if (cur === '0') return { error: null, items, calls, shape };
      if (step.cursorAt >= args.length) return { error: null, items, calls, shape };
      args[step.cursorAt] = cur;
    }
    return { error: { value: `(no end after ${MAX_SCAN_CALLS} calls)`, types: [] }, items, calls: MAX_SCAN_CALLS, shape };
  };
  const [r, t] = await Promise.all([iterate(side.redis), iterate(side.tessera)]);
  if (r.error || t.error) {
    const a = r.error ? show(r.error) : `(completed, ${r.items.size} items)`;
    const b = t.error ? show(t.error) : `(completed, ${t.items.size} items)`;
    if (a !== b) record(index, step.cmd, a, b, 'SCAN iteration ended differently');
    return;
  }
  const a = [...r.items].sort();
  const b = [...t.items].sort();
  if (a.join('\n') !== b.join('\n')) {
    const onlyR = a.filter((x) => !t.items.has(x));
    const onlyT = b.filter((x) => !r.items.has(x));
    record(index, step.cmd, `{${a.join(', ')}}`, `{${b.join(', ')}}`, `complete iteration differs: only redis {${onlyR.join(', ')}}, only tessera {${onlyT.join(', ')}}`);
  } else if (r.shape !== t.shape) {
    record(index, step.cmd, r.shape, t.shape, 'same elements, different RESP wire types');
  }
}

/** The whole keyspace (dbs 0 and 1) as key -> canonical type, TTL class and content. */
async function snapshot(side: Side, c: RawClient): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const db of [0, 1]) {
    const [, keysRep] = await side.one(c, [['SELECT', String(db)], ['KEYS', '*']]);
    const keys = itemsOf(keysRep!.value);
    if (!keys) {
      out.set(`(db ${db} KEYS)`, show(keysRep!));
      continue;
    }
    const names = keys.filter((k): k is string => typeof k === 'string');
    const meta = await side.one(c, names.flatMap((k) => [['TYPE', k], ['PTTL', k]]));
    const reads: string[][] = names.map((k, i) => {
      const type = meta[2 * i]!.value;
      switch (type) {
        case 'string':
          return ['GET', k];
        case 'hash':
          return ['HGETALL', k];
        case 'list':
          return ['LRANGE', k, '0', '-1'];
        case 'set':
          return ['SMEMBERS', k];
        case 'zset':
          return ['ZRANGE', k, '0', '-1', 'WITHSCORES'];
        default:
          return ['TYPE', k];
      }
    });
    const contents = await side.one(c, reads);
    names.forEach((k, i) => {
      const type = meta[2 * i]!.value;
      const pttl = meta[2 * i + 1]!.value;
      const ttl = typeof pttl === 'number' || typeof pttl === 'bigint' ? (pttl < 0 ? String(pttl) : 'ttl') : canon(pttl);
      const content = contents[i]!.value;
      const items = type === 'hash' ? pairsOf(content)?.map(([f, v]) => `${canon(f)}: ${canon(v)}`).sort() : type === 'set' ? itemsOf(content)?.map(canon).sort() : null;
      out.set(`db${db}:${JSON.stringify(k)}`, `${canon(type)} ${ttl} ${items ? `{${items.join(', ')}}` : canon(content)}`);
    });
  }
  return out;
}
