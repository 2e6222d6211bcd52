// Graceful shutdown of a cluster primary (SIGTERM or SHUTDOWN): hold client
// writes, wait up to shutdown-timeout for a replica to acknowledge everything,
// then hand the slots to the most up-to-date replica with a manual failover
// (CLUSTER FAILOVER sent to that replica: the default mode loses nothing, the
// replica catches up to our paused offset before it takes over) and wait for
// the new owner to show in our view before the process exits. A planned
// restart therefore loses no write and causes no failure-detection timeout.
//
// Also here: a one-shot RESP client for node-to-node admin commands.

import net from 'node:net';
import type { Logger } from '../core/log.js';
import { wallClockMs } from '../runtime/clock.js';
import type { ClusterSetup } from './cluster-setup.js';
import type { NodeReplication } from './replication-node.js';
import type { NodeState } from '../commands/node-state.js';

/** Sends one command to host:port over RESP2; resolves with the first reply line (e.g. "+OK", "-ERR ..."). */
export function sendAdminCommand(host: string, port: number, args: readonly string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    let done = false;
    const finish = (line: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => finish('-ERR timeout'), timeoutMs);
    sock.on('connect', () => {
      let req = `*${args.length}\r\n`;
      for (const a of args) req += `$${Buffer.byteLength(a, 'latin1')}\r\n${a}\r\n`;
      sock.write(req, 'latin1');
    });
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      const i = buf.indexOf('\r\n');
      if (i >= 0) finish(buf.slice(0, i));
    });
    sock.on('error', (e) => finish(`-ERR ${e.message}`));
    sock.on('close', () => finish('-ERR connection closed'));
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Hands our slots to a replica before exiting. Returns once done, or once the
 * deadline passed (the caller exits either way). A no-op unless this node is
 * a cluster primary owning slots with at least one connected replica.
 */
export async function handOverBeforeShutdown(opts: { node: NodeState; cluster: ClusterSetup; replication: NodeReplication; logger: Logger }): Promise<void> {
  const { node, cluster, replication, logger } = opts;
  const view = cluster.core.view;
  const me = view.nodes.get(view.myId);
  if (!me || !me.flags.includes('master') || me.slots.length === 0) return;
  const st = replication.state;
  if (st.isReplica || st.replicas.size === 0) return;
  const timeoutMs = Math.max(0, node.config.getNumber('shutdown-timeout')) * 1000;
  const deadlineMs = wallClockMs() + timeoutMs;
  logger.warn('Graceful shutdown: pausing writes and handing the slots to a replica', { timeoutMs });
  node.dispatcher.pause(deadlineMs + 1000, false);
  const target = st.offset;
  // 1. Wait for a replica to acknowledge every write we answered (bounded).
  let best: { ip: string; port: number; ackOffset: number } | null = null;
  for (let i = 0; wallClockMs() < deadlineMs && i < 100_000; i++) {
    replication.primarySide.requestAcks();
    best = null;
    for (const r of st.replicas.values()) if (r.state === 'online' && (best === null || r.ackOffset > best.ackOffset)) best = { ip: r.ip, port: r.port, ackOffset: r.ackOffset };
    if (best !== null && best.ackOffset >= target) break;
    await sleep(10);
  }
  if (best === null) {
    logger.warn('Graceful shutdown: no online replica; exiting without a handover');
    return;
  }
  logger.info('Graceful shutdown: replica caught up', { replica: `${best.ip}:${best.port}`, ackOffset: best.ackOffset, offset: target });
  // 2. CLUSTER FAILOVER on that replica; it asks us for the pause offset over the bus.
  // The replication link's address is the socket's (gRPC cannot pick a source
  // address: often 127.0.0.1); the view has the address the replica announces.
  const known = [...cluster.core.view.nodes.values()].find((n) => n.primaryId === view.myId && n.port === best!.port && (n.ip === best!.ip || best!.ip.startsWith('127.')));
  if (known) best = { ip: known.ip, port: known.port, ackOffset: best.ackOffset };
  const reply = await sendAdminCommand(best.ip, best.port, ['CLUSTER', 'FAILOVER'], Math.max(500, deadlineMs - wallClockMs()));
  if (!reply.startsWith('+')) {
    logger.warn('Graceful shutdown: the replica refused the manual failover', { reply });
    return;
  }
  // 3. Wait until we no longer own slots (the replica's promotion reached us).
  for (let i = 0; wallClockMs() < deadlineMs && i < 100_000; i++) {
    const now = cluster.core.view;
    const mine = now.nodes.get(now.myId);
    if (!mine || mine.slots.length === 0) {
      logger.warn('Graceful shutdown: slots handed over', { to: `${best.ip}:${best.port}` });
      return;
    }
    await sleep(10);
  }
  logger.warn('Graceful shutdown: handover did not complete within shutdown-timeout');
}
