import type { CommandSpec } from '../spec.js';
import { blmove } from './blmove.js';
import { blmpop } from './blmpop.js';
import { blpop } from './blpop.js';
import { brpop } from './brpop.js';
import { brpoplpush } from './brpoplpush.js';
import { lindex } from './lindex.js';
import { linsert } from './linsert.js';
import { llen } from './llen.js';
import { lmove } from './lmove.js';
import { lmpop } from './lmpop.js';
import { lpop } from './lpop.js';
import { lpos } from './lpos.js';
import { lpush } from './lpush.js';
import { lpushx } from './lpushx.js';
import { lrange } from './lrange.js';
import { lrem } from './lrem.js';
import { lset } from './lset.js';
import { ltrim } from './ltrim.js';
import { rpop } from './rpop.js';
import { rpoplpush } from './rpoplpush.js';
import { rpush } from './rpush.js';
import { rpushx } from './rpushx.js';

export const commands: CommandSpec[] = [
  blmove,
  blmpop,
  blpop,
  brpop,
  brpoplpush,
  lindex,
  linsert,
  llen,
  lmove,
  lmpop,
  lpop,
  lpos,
  lpush,
  lpushx,
  lrange,
  lrem,
  lset,
  ltrim,
  rpop,
  rpoplpush,
  rpush,
  rpushx,
];
