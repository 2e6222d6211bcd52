// Every command group, in one list for the registry. Each group's index.ts
// exports its specs; adding a command means adding a file to its group.

import type { CommandSpec } from './spec.js';
import { commands as connection } from './connection/index.js';
import { commands as server } from './server/index.js';
import { commands as generic } from './generic/index.js';
import { commands as string } from './string/index.js';
import { commands as bitmap } from './bitmap/index.js';
import { commands as hash } from './hash/index.js';
import { commands as list } from './list/index.js';
import { commands as set } from './set/index.js';
import { commands as sortedset } from './sortedset/index.js';
import { commands as pubsub } from './pubsub/index.js';
import { commands as transactions } from './transactions/index.js';
import { commands as cluster } from './cluster/index.js';

export const ALL_COMMANDS: readonly CommandSpec[] = [
  ...connection,
  ...server,
  ...generic,
  ...string,
  ...bitmap,
  ...hash,
  ...list,
  ...set,
  ...sortedset,
  ...pubsub,
  ...transactions,
  ...cluster,
];
