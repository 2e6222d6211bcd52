// nodes.conf saves: fsynced only when an epoch changed (or when asked), as
// Redis 7.0 fsyncs only for CLUSTER_TODO_FSYNC_CONFIG; written atomically
// (temp file + rename) either way.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseNodesConf } from '../../src/cluster/nodes-conf.js';
import { A, B, BASE, conf } from '../support/nodes-conf-fixture.js';
import { NodesConfWriter, epochSignature, writeNodesConfAtomically } from '../../src/server/cluster-setup.js';


describe('nodes.conf saves and fsync', () => {
  let dir: string;
  let fsyncs = 0;
  const realFsync = fs.fsyncSync;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nodes-conf-fsync-'));
    fsyncs = 0;
    fs.fsyncSync = (fd: number) => {
      fsyncs++;
      realFsync(fd);
    };
  });

  afterEach(() => {
    fs.fsyncSync = realFsync;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writeNodesConfAtomically: fsyncs file and directory only when asked, and leaves no temp file', () => {
    const file = path.join(dir, 'nodes.conf');
    writeNodesConfAtomically(file, 'one\n', false);
    assert.equal(fsyncs, 0);
    assert.equal(fs.readFileSync(file, 'latin1'), 'one\n');
    writeNodesConfAtomically(file, 'two\n', true);
    assert.ok(fsyncs >= 1, 'the file is fsynced');
    assert.equal(fs.readFileSync(file, 'latin1'), 'two\n');
    assert.deepEqual(fs.readdirSync(dir), ['nodes.conf']);
  });

  it('an unsynced save overwrites in place: longer, then shorter (padding truncated away)', () => {
    const file = path.join(dir, 'nodes.conf');
    writeNodesConfAtomically(file, BASE, true);
    const ino = fs.statSync(file).ino;
    fsyncs = 0;
    const longer = BASE.replace('0-5460', '0-5000 5002-5460');
    writeNodesConfAtomically(file, longer, false);
    assert.equal(fs.readFileSync(file, 'latin1'), longer);
    writeNodesConfAtomically(file, BASE.replace('0-5460', '0-9'), false);
    assert.equal(fs.readFileSync(file, 'latin1'), BASE.replace('0-5460', '0-9'));
    assert.equal(fs.statSync(file).ino, ino, 'same file, no rename');
    assert.equal(fsyncs, 0);
    // What a crash between the padded write and the truncate would leave still parses.
    assert.deepEqual(parseNodesConf(`${BASE}\n\n\n\n`), parseNodesConf(BASE));
  });

  it('epochSignature changes with currentEpoch, lastVoteEpoch and any configEpoch, not with slots', () => {
    const base = epochSignature(conf());
    assert.equal(epochSignature(conf(BASE.replace('connected 0-5460', 'connected 0-5000'))), base);
    assert.notEqual(epochSignature(conf(BASE.replace('currentEpoch 2', 'currentEpoch 3'))), base);
    assert.notEqual(epochSignature(conf(BASE.replace('lastVoteEpoch 0', 'lastVoteEpoch 2'))), base);
    assert.notEqual(epochSignature(conf(BASE.replace('0 0 1 connected', '0 0 3 connected'))), base);
  });

  it('NodesConfWriter: the first save and every epoch change are durable, slot moves are not', () => {
    const file = path.join(dir, 'nodes.conf');
    const w = new NodesConfWriter(file);
    assert.equal(w.save(conf(), false), true, 'first save');
    // SETSLOT-style changes: slots move, epochs stay.
    assert.equal(w.save(conf(BASE.replace('connected 0-5460', 'connected 0-5000')), false), false);
    assert.equal(w.save(conf(BASE.replace('connected 0-5460', 'connected 0-4000')), false), false);
    assert.match(fs.readFileSync(file, 'latin1'), /connected 0-4000/);
    // A vote: lastVoteEpoch changes.
    const voted = BASE.replace('lastVoteEpoch 0', 'lastVoteEpoch 3').replace('currentEpoch 2', 'currentEpoch 3');
    fsyncs = 0;
    assert.equal(w.save(conf(voted), false), true);
    assert.ok(fsyncs >= 1);
    assert.equal(w.save(conf(voted), false), false, 'same epochs again: no fsync');
    // A configEpoch bump (SETSLOT NODE on the importing node, failover).
    assert.equal(w.save(conf(voted.replace('0 0 1 connected', '0 0 4 connected')), false), true);
    // Asked explicitly (CLUSTER SAVECONFIG).
    assert.equal(w.save(conf(voted.replace('0 0 1 connected', '0 0 4 connected')), true), true);
  });

  it('NodesConfWriter: in-place saves through the kept descriptor shrink the file, follow a durable replace and recreate an unlinked file', () => {
    const file = path.join(dir, 'nodes.conf');
    const w = new NodesConfWriter(file);
    const at = (end: number, text = BASE): string => text.replace('connected 0-5460', `connected 0-${end} 6000-6001 6003`);
    w.save(conf(at(5000)), false);
    w.save(conf(at(4000)), false);
    const long = fs.readFileSync(file, 'latin1');
    // Shorter text: padded, then truncated to its own length (no blank lines left over).
    w.save(conf(), false);
    assert.equal(fs.readFileSync(file, 'latin1'), BASE);
    assert.ok(BASE.length < long.length);
    // A durable save replaces the file; the next in-place save lands in the new one.
    const bumped = BASE.replace('0 0 1 connected', '0 0 5 connected');
    assert.equal(w.save(conf(bumped), false), true);
    assert.equal(w.save(conf(at(10, bumped)), false), false);
    assert.deepEqual(parseNodesConf(fs.readFileSync(file, 'latin1'))!.nodes[0]!.slots, [[0, 10], [6000, 6001], [6003, 6003]]);
    // Removed behind the writer's back: the next save creates the file again.
    fs.unlinkSync(file);
    assert.equal(w.save(conf(at(20, bumped)), false), false);
    assert.deepEqual(parseNodesConf(fs.readFileSync(file, 'latin1'))!.nodes[0]!.slots, [[0, 20], [6000, 6001], [6003, 6003]]);
    w.close();
    // After close() a save still writes (stop() saves last), without keeping a descriptor.
    assert.equal(w.save(conf(at(30, bumped)), false), false);
    assert.deepEqual(parseNodesConf(fs.readFileSync(file, 'latin1'))!.nodes[0]!.slots, [[0, 30], [6000, 6001], [6003, 6003]]);
  });
});
