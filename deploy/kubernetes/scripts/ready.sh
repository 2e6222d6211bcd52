#!/bin/sh
# Readiness of a Tessera node pod: the node sees the cluster as ok
# (cluster_state:ok: every slot served, the node in the majority), and a
# replica also has its replication link up. A rolling update waits for this
# before stopping the next pod, so a primary's preStop always finds a synced
# replica to hand over to.
PORT=${TESSERA_PORT:-6379}
redis-cli -p "$PORT" cluster info 2>/dev/null | grep -q '^cluster_state:ok' || exit 1
repl=$(redis-cli -p "$PORT" info replication 2>/dev/null) || exit 1
case "$repl" in
  *role:slave*) printf '%s\n' "$repl" | grep -q '^master_link_status:up' || exit 1 ;;
esac
exit 0
