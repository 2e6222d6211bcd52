#!/bin/sh
# Stops exactly the processes up.sh started (by the pid files in the data dir).
# --data-dir DIR (default ./.tessera/cluster), --purge to delete the data dir.
. "$(dirname "$(readlink -f "$0")")/_common.sh"
exec node "$CLI" down "$@"
