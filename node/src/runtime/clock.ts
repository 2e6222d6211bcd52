// The only module that reads the wall clock or uses real randomness. Cores
// receive `nowMs` and a random source from here (or a virtual one in tests).

import { randomBytes } from 'node:crypto';

export function wallClockMs(): number {
  return Date.now();
}

export function realRandom(): () => number {
  return Math.random;
}

/** 40 hex characters, as Redis run ids and node ids are. */
export function randomHexId(): string {
  return randomBytes(20).toString('hex');
}

export function setTimer(fn: () => void, ms: number): NodeJS.Timeout {
  return setTimeout(fn, ms);
}

export function setRepeating(fn: () => void, ms: number): NodeJS.Timeout {
  return setInterval(fn, ms);
}
