import assert from 'node:assert/strict';
import { Backlog } from '../../src/replication/backlog.js';
import { encodeCommand, encodedCommandBytes } from '../../src/replication/resp-command.js';
import { seededRandom } from '../../src/core/random.js';

describe('replication backlog', () => {
  it('holds everything while under capacity', () => {
    const b = new Backlog(16);
    b.append(Buffer.from('hello'));
    b.append(Buffer.from(' world'));
    assert.equal(b.endOffset, 11);
    assert.equal(b.startOffset, 0);
    assert.equal(b.historyBytes, 11);
    assert.equal(b.readFrom(0).toString(), 'hello world');
    assert.equal(b.readFrom(6).toString(), 'world');
    assert.equal(b.readFrom(11).toString(), '');
  });

  it('wraps around and keeps the newest capacity bytes', () => {
    const b = new Backlog(8);
    b.append(Buffer.from('abcdef')); // 0..6
    b.append(Buffer.from('ghij')); // 6..10, wraps
    assert.equal(b.endOffset, 10);
    assert.equal(b.historyBytes, 8);
    assert.equal(b.startOffset, 2);
    assert.equal(b.readFrom(2).toString(), 'cdefghij');
    assert.equal(b.readFrom(7).toString(), 'hij');
    assert.equal(b.canServeFrom(1), false);
    assert.equal(b.canServeFrom(2), true);
    assert.equal(b.canServeFrom(10), true);
    assert.equal(b.canServeFrom(11), false);
    assert.throws(() => b.readFrom(1));
  });

  it('a write larger than the ring keeps only its tail', () => {
    const b = new Backlog(4);
    b.append(Buffer.from('xy'));
    b.append(Buffer.from('0123456789'));
    assert.equal(b.endOffset, 12);
    assert.equal(b.readFrom(8).toString(), '6789');
  });

  it('starts at a given offset (a replica after a full sync)', () => {
    const b = new Backlog(8, 1000);
    assert.equal(b.startOffset, 1000);
    assert.equal(b.canServeFrom(1000), true);
    b.append(Buffer.from('abc'));
    assert.equal(b.readFrom(1001).toString(), 'bc');
  });

  it('matches a model under random appends and reads', () => {
    const rnd = seededRandom(7);
    const cap = 37;
    const b = new Backlog(cap);
    let all = '';
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 50);
      let s = '';
      for (let j = 0; j < len; j++) s += String.fromCharCode(97 + Math.floor(rnd() * 26));
      b.append(Buffer.from(s, 'latin1'));
      all += s;
      assert.equal(b.endOffset, all.length);
      const held = Math.min(cap, all.length);
      assert.equal(b.historyBytes, held);
      const from = all.length - Math.floor(rnd() * (held + 1));
      assert.equal(b.readFrom(from).toString('latin1'), all.slice(from));
    }
  });

  it('resizing keeps the newest history that fits', () => {
    const b = new Backlog(10);
    b.append(Buffer.from('0123456789abc'));
    b.resize(4);
    assert.equal(b.readFrom(b.startOffset).toString(), '9abc');
    b.resize(20);
    b.append(Buffer.from('de'));
    assert.equal(b.readFrom(9).toString(), '9abcde');
  });
});

describe('replication stream encoding', () => {
  it('counts bytes as Redis counts its stream', () => {
    const cmd = ['set', 'key', 'value'];
    const enc = encodeCommand(cmd);
    assert.equal(enc.toString('latin1'), '*3\r\n$3\r\nset\r\n$3\r\nkey\r\n$5\r\nvalue\r\n');
    assert.equal(encodedCommandBytes(cmd), enc.length);
    // Redis's PING in the stream is 14 bytes.
    assert.equal(encodedCommandBytes(['ping']), 14);
    const big = ['x'.repeat(12345), '\u00ff\u0000'];
    assert.equal(encodeCommand(big).length, encodedCommandBytes(big));
  });
});
