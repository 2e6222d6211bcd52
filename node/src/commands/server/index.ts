import type { CommandSpec } from '../spec.js';
import { config } from './config.js';

export const commands: CommandSpec[] = [
  config,
];
