import type { CommandSpec } from '../spec.js';
import { subscribe } from './subscribe.js';
import { unsubscribe } from './unsubscribe.js';
import { psubscribe } from './psubscribe.js';
import { punsubscribe } from './punsubscribe.js';
import { publish } from './publish.js';
import { ssubscribe } from './ssubscribe.js';
import { sunsubscribe } from './sunsubscribe.js';
import { spublish } from './spublish.js';
import { pubsub } from './pubsub.js';

export const commands: CommandSpec[] = [subscribe, unsubscribe, psubscribe, punsubscribe, publish, ssubscribe, sunsubscribe, spublish, pubsub];
