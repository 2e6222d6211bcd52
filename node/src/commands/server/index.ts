import type { CommandSpec } from '../spec.js';
import { config } from './config.js';
import { info } from './info.js';
import { command } from './command.js';
import { time } from './time.js';
import { lastsave } from './lastsave.js';
import { slowlog } from './slowlog.js';
import { latency } from './latency.js';
import { wait } from './wait.js';
import { replicaof } from './replicaof.js';
import { slaveof } from './slaveof.js';
import { role } from './role.js';
import { shutdown } from './shutdown.js';
import { debug } from './debug.js';
import { save } from './save.js';
import { bgsave } from './bgsave.js';
import { monitor } from './monitor.js';

export const commands: CommandSpec[] = [
  config,
  info,
  command,
  time,
  lastsave,
  slowlog,
  latency,
  wait,
  replicaof,
  slaveof,
  role,
  shutdown,
  debug,
  save,
  bgsave,
  monitor,
];
