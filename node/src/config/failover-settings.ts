// The directives the cluster core's failover machines read, as FailoverSettings.
// Redis lets CONFIG SET change all of them on a running node; the cluster
// adapter builds the core with these at start and passes them again whenever
// onChange reports one of FAILOVER_DIRECTIVES (see server/cluster-setup.ts).

import type { FailoverSettings } from '../cluster/api.js';
import type { Config } from './config.js';

/** Canonical names (CONFIG SET of an alias reports the canonical one). */
export const FAILOVER_DIRECTIVES: ReadonlySet<string> = new Set([
  'cluster-replica-validity-factor',
  'repl-ping-replica-period',
  'cluster-migration-barrier',
  'cluster-allow-replica-migration',
  'cluster-sync-replication',
]);

export function failoverSettingsFrom(cfg: Config): FailoverSettings {
  return {
    validityFactor: cfg.getNumber('cluster-replica-validity-factor'),
    replPingPeriodMs: cfg.getNumber('repl-ping-replica-period') * 1000,
    migrationBarrier: cfg.getNumber('cluster-migration-barrier'),
    allowReplicaMigration: cfg.getBool('cluster-allow-replica-migration'),
    syncReplication: cfg.getBool('cluster-sync-replication'),
  };
}
