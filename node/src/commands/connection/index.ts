import type { CommandSpec } from '../spec.js';
import { ping } from './ping.js';
import { echo } from './echo.js';
import { select } from './select.js';
import { quit } from './quit.js';

export const commands: CommandSpec[] = [ping, echo, select, quit];
