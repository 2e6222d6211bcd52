import type { CommandSpec } from '../spec.js';
import { copy } from './copy.js';
import { dbsize } from './dbsize.js';
import { dump } from './dump.js';
import { del } from './del.js';
import { exists } from './exists.js';
import { expire } from './expire.js';
import { expireat } from './expireat.js';
import { expiretime } from './expiretime.js';
import { flushall } from './flushall.js';
import { flushdb } from './flushdb.js';
import { keys } from './keys.js';
import { memory } from './memory.js';
import { migrate } from './migrate.js';
import { move } from './move.js';
import { object } from './object.js';
import { persist } from './persist.js';
import { pexpire } from './pexpire.js';
import { pexpireat } from './pexpireat.js';
import { pexpiretime } from './pexpiretime.js';
import { pttl } from './pttl.js';
import { randomkey } from './randomkey.js';
import { rename } from './rename.js';
import { renamenx } from './renamenx.js';
import { restore, restoreAsking } from './restore.js';
import { scan } from './scan.js';
import { swapdb } from './swapdb.js';
import { touch } from './touch.js';
import { ttl } from './ttl.js';
import { type } from './type.js';
import { unlink } from './unlink.js';

export const commands: CommandSpec[] = [
  copy,
  dbsize,
  dump,
  del,
  exists,
  expire,
  expireat,
  expiretime,
  flushall,
  flushdb,
  keys,
  memory,
  migrate,
  move,
  object,
  persist,
  pexpire,
  pexpireat,
  pexpiretime,
  pttl,
  randomkey,
  rename,
  renamenx,
  restore,
  restoreAsking,
  scan,
  swapdb,
  touch,
  ttl,
  type,
  unlink,
];
