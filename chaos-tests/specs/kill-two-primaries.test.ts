// Chaos spec: kill-two-primaries (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { killTwoPrimaries } from '../harness/scenarios.js';

defineChaosSpec(killTwoPrimaries);
