// Chaos spec: kill-zone (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { killZone } from '../harness/scenarios.js';

defineChaosSpec(killZone);
