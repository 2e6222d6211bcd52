// Chaos spec: kill-during-migration (see chaos-tests/harness/scenarios.ts for the fault and docs/chaos.md for how to run it).
import { defineChaosSpec } from '../harness/spec.js';
import { killDuringMigration } from '../harness/scenarios.js';

defineChaosSpec(killDuringMigration);
