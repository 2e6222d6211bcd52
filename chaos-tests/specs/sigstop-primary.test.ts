// Chaos spec: sigstop-primary (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { stopPrimary } from '../harness/scenarios.js';

defineChaosSpec(stopPrimary);
