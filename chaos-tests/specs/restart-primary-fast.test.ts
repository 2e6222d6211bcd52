// Chaos spec: restart-primary-fast (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { restartPrimaryFast } from '../harness/scenarios.js';

defineChaosSpec(restartPrimaryFast);
