// Chaos spec: kill-replica (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { killReplica } from '../harness/scenarios.js';

defineChaosSpec(killReplica);
