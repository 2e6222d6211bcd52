import type { CommandSpec } from '../spec.js';
import { multi } from './multi.js';
import { exec } from './exec.js';
import { discard } from './discard.js';
import { watch } from './watch.js';
import { unwatch } from './unwatch.js';

export const commands: CommandSpec[] = [multi, exec, discard, watch, unwatch];
