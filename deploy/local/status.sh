#!/bin/sh
# Prints one row per node (zone, role, slots, keys, memory, links, replication
# lag) and whether the cluster is healthy. Exit 0 healthy, 2 not, 1 no cluster.
. "$(dirname "$(readlink -f "$0")")/_common.sh"
exec node "$CLI" status "$@"
