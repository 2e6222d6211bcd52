// Chaos spec: kill-primary (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { killPrimary } from '../harness/scenarios.js';

defineChaosSpec(killPrimary);
