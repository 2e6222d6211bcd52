import type { CommandSpec } from '../spec.js';
import { bitcount } from './bitcount.js';
import { bitop } from './bitop.js';
import { bitpos } from './bitpos.js';
import { getbit } from './getbit.js';
import { setbit } from './setbit.js';

export const commands: CommandSpec[] = [setbit, getbit, bitcount, bitpos, bitop];
