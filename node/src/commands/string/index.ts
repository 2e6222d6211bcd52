import type { CommandSpec } from '../spec.js';
import { get } from './get.js';
import { set } from './set.js';

export const commands: CommandSpec[] = [get, set];
