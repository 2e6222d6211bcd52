// Slot lists for ADDSLOTS/DELSLOTS and their RANGE forms, validated whole
// before anything changes (a bad argument leaves the node untouched).
import { ReplyError } from '../../core/errors.js';
import { slotArg } from './common.js';

export function slotList(args: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 2; i < args.length; i++) out.push(slotArg(args[i]!));
  return out;
}

export function slotRanges(args: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 2; i + 1 < args.length; i += 2) {
    const a = slotArg(args[i]!);
    const b = slotArg(args[i + 1]!);
    if (a > b) throw new ReplyError(`ERR start slot number ${a} is greater than end slot number ${b}`);
    for (let x = a; x <= b; x++) out.push(x);
  }
  return out;
}
