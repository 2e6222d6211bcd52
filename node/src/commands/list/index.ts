import type { CommandSpec } from '../spec.js';

export const commands: CommandSpec[] = [];
