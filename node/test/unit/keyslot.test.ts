import { strict as assert } from 'node:assert';
import { crc16, keySlot } from '../../src/cluster/keyslot.js';

describe('keyslot', () => {
  it('CRC16/XMODEM check value', () => {
    assert.equal(crc16('123456789'), 0x31c3);
  });

  it('matches redis-server 7.0 CLUSTER KEYSLOT', () => {
    // Values read from a real redis-server 7.0.15 cluster.
    assert.equal(keySlot('foo'), 12182);
    assert.equal(keySlot('{user1}.x'), 8106);
    assert.equal(keySlot('a'), 15495);
    assert.equal(keySlot('b'), 3300);
    assert.equal(keySlot(''), 0);
    assert.equal(keySlot('\xe9'), 11271);
    assert.equal(keySlot('{{a}}'), 10276);
  });

  it('hash tags: first {...} with content, else the whole key', () => {
    assert.equal(keySlot('{user1}.following'), keySlot('user1'));
    assert.equal(keySlot('x{user1}y{z}'), keySlot('user1'));
    assert.equal(keySlot('{}user1'), crc16('{}user1') & 16383);
    assert.equal(keySlot('{user1'), crc16('{user1') & 16383);
    assert.equal(keySlot('}{user1}'), keySlot('user1'));
    assert.equal(keySlot('{{a}}'), keySlot('{a'));
  });

  it('hashes latin1 bytes, not UTF-8', () => {
    // "\xe9" is one byte 0xE9 on the wire; UTF-8 would make it two.
    assert.equal(keySlot('\xe9'), crc16(String.fromCharCode(0xe9)) & 16383);
    assert.notEqual(keySlot('\xe9'), crc16('\xc3\xa9') & 16383);
  });
});
