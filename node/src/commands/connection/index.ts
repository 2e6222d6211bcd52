import type { CommandSpec } from '../spec.js';
import { ping } from './ping.js';
import { echo } from './echo.js';
import { select } from './select.js';
import { quit } from './quit.js';
import { hello } from './hello.js';
import { auth } from './auth.js';
import { reset } from './reset.js';
import { client } from './client.js';
import { asking } from './asking.js';
import { readonly } from './readonly.js';
import { readwrite } from './readwrite.js';

export const commands: CommandSpec[] = [ping, echo, select, quit, hello, auth, reset, client, asking, readonly, readwrite];
