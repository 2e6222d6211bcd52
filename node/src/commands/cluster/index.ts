// The CLUSTER container and its subcommands, one file each.
import { NO_KEYS, type CommandSpec } from '../spec.js';
import { addslots } from './addslots.js';
import { addslotsrange } from './addslotsrange.js';
import { bumpepoch } from './bumpepoch.js';
import { countFailureReports } from './count-failure-reports.js';
import { countkeysinslot } from './countkeysinslot.js';
import { delslots } from './delslots.js';
import { delslotsrange } from './delslotsrange.js';
import { failover } from './failover.js';
import { flushslots } from './flushslots.js';
import { forget } from './forget.js';
import { getkeysinslot } from './getkeysinslot.js';
import { help } from './help.js';
import { info } from './info.js';
import { keyslot } from './keyslot-cmd.js';
import { links } from './links.js';
import { meet } from './meet.js';
import { myid } from './myid.js';
import { myshardid } from './myshardid.js';
import { nodes } from './nodes.js';
import { replicas, slaves } from './replicas.js';
import { replicate } from './replicate.js';
import { reset } from './reset.js';
import { saveconfig } from './saveconfig.js';
import { setConfigEpoch } from './set-config-epoch.js';
import { setslot } from './setslot.js';
import { shards } from './shards.js';
import { slots } from './slots.js';

export const cluster = {
  name: 'cluster',
  arity: -2,
  flags: [],
  group: 'cluster',
  keys: NO_KEYS,
  summary: 'A container for Redis Cluster commands',
  since: '3.0.0',
  complexity: 'Depends on subcommand.',
  subcommands: [
    addslots, addslotsrange, bumpepoch, countFailureReports, countkeysinslot, delslots, delslotsrange, failover, flushslots,
    forget, getkeysinslot, info, keyslot, links, meet, myid, myshardid, nodes, replicas, replicate, reset, saveconfig,
    setConfigEpoch, setslot, shards, slaves, slots, help,
  ],
} as const satisfies CommandSpec;

export const commands: CommandSpec[] = [cluster];
