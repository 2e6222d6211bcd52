#!/bin/sh
# Starts a local cluster: one process per node across simulated zones, formed
# zone-aware, and waits until every node reports cluster_state:ok.
# Options: see `up.sh --help` (coordinator/src/local/cli.ts). Idempotent: on a
# data dir with a cluster.json it starts the recorded cluster as it is, also
# after `bin/tessera scale` changed its shard count.
. "$(dirname "$(readlink -f "$0")")/_common.sh"
exec node "$CLI" up "$@"
