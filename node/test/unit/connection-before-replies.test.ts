// NodeState.beforeReplies: the cluster defers a nodes.conf write to "before
// the next reply leaves" (ClusterSetup.saveSoon), so the server connection
// must run it before it writes a batch's replies, and before bytes produced
// outside a batch (an unblocked client), and only while it is set.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { Connection, type ConnectionHost } from '../../src/server/connection.js';
import { Harness } from '../support/harness.js';

/** The parts of a net.Socket that Connection uses, recording writes in `log`. */
class FakeSocket extends EventEmitter {
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 50000;
  readonly localAddress = '127.0.0.1';
  readonly localPort = 6379;
  readonly writableLength = 0;
  readonly destroyed = false;
  constructor(private readonly log: string[]) {
    super();
  }
  setNoDelay(): void {}
  cork(): void {}
  uncork(): void {}
  pause(): void {}
  resume(): void {}
  isPaused(): boolean {
    return false;
  }
  end(): void {}
  destroySoon(): void {}
  write(bytes: Buffer): boolean {
    this.log.push(`write ${JSON.stringify(bytes.toString('latin1'))}`);
    return true;
  }
}

function setup(): { h: Harness; log: string[]; socket: FakeSocket; conn: Connection } {
  const h = new Harness();
  const log: string[] = [];
  const socket = new FakeSocket(log);
  const host: ConnectionHost = { node: h.node, writer: h.writer, current: null, closed: () => undefined };
  const conn = new Connection(host, socket as unknown as Socket);
  return { h, log, socket, conn };
}

describe('connection: work before replies (NodeState.beforeReplies)', () => {
  it('runs the hook once before a batch of replies is written, then writes them in one go', () => {
    const { h, log, socket } = setup();
    h.node.beforeReplies = () => {
      log.push('save');
      h.node.beforeReplies = null;
    };
    socket.emit('data', Buffer.from('*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n'));
    assert.deepEqual(log, ['save', 'write "+PONG\\r\\n+PONG\\r\\n"']);
    socket.emit('data', Buffer.from('*1\r\n$4\r\nPING\r\n'));
    assert.deepEqual(log.slice(2), ['write "+PONG\\r\\n"'], 'cleared by its owner: not run again');
  });

  it('runs it before bytes written outside a batch', () => {
    const { h, log, conn } = setup();
    h.node.beforeReplies = () => {
      log.push('save');
      h.node.beforeReplies = null;
    };
    conn.write(Buffer.from('+OK\r\n'));
    assert.deepEqual(log, ['save', 'write "+OK\\r\\n"']);
  });

  it('a batch with nothing to write leaves the hook for the next writer', () => {
    const { h, log, socket } = setup();
    let runs = 0;
    h.node.beforeReplies = () => {
      runs++;
      h.node.beforeReplies = null;
    };
    socket.emit('data', Buffer.from('*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$3\r\nOFF\r\n*1\r\n$4\r\nPING\r\n'));
    assert.equal(runs, 0);
    assert.deepEqual(log, []);
  });
});
