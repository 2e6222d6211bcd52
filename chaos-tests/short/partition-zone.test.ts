// Chaos spec: partition-zone (see chaos-tests/harness/scenarios.ts for the fault; part of the short subset in npm test; and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { partitionZone } from '../harness/scenarios.js';

defineChaosSpec(partitionZone);
