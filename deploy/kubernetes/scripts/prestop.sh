#!/bin/sh
# preStop hook of a Tessera node pod: a primary hands its slots to a replica
# (CLUSTER FAILOVER, which loses no acknowledged write) before the container
# gets SIGTERM, so deleting a pod (rolling update, node drain) does not wait
# for failure detection. A replica, or a primary without a synced replica,
# just stops. Bounded by PRESTOP_TIMEOUT seconds (below terminationGracePeriodSeconds).
set -u
set -f
PORT=${TESSERA_PORT:-6379}
TIMEOUT=${PRESTOP_TIMEOUT:-30}

role=$(redis-cli -p "$PORT" role 2>/dev/null | head -n 1 | tr -d '\r')
[ "$role" = master ] || exit 0
myid=$(redis-cli -p "$PORT" cluster myid 2>/dev/null | tr -d '\r')
[ -n "$myid" ] || exit 0

# My replicas as the cluster knows them (announced addresses): CLUSTER NODES
# lines "id ip:port@cport[,hostname...] flags primary-id ...".
replicas=$(redis-cli -p "$PORT" cluster nodes 2>/dev/null | tr -d '\r' | while read -r _ addr flags primary _; do
  [ "$primary" = "$myid" ] || continue
  case ",$flags," in *,fail,*|*,fail\?,*|*,noaddr,*) continue ;; esac
  printf '%s\n' "${addr%%@*}"
done)

for r in $replicas; do
  ip=${r%:*} rport=${r##*:}
  redis-cli -h "$ip" -p "$rport" info replication 2>/dev/null | grep -q '^master_link_status:up' || continue
  echo "prestop: CLUSTER FAILOVER on replica $ip:$rport"
  redis-cli -h "$ip" -p "$rport" cluster failover 2>&1 | grep -q '^OK' || continue
  i=0
  while [ "$i" -lt "$TIMEOUT" ]; do
    role=$(redis-cli -p "$PORT" role 2>/dev/null | head -n 1 | tr -d '\r')
    if [ "$role" = slave ]; then echo "prestop: handed over to $ip:$rport"; exit 0; fi
    sleep 1
    i=$((i + 1))
  done
  echo "prestop: still primary after ${TIMEOUT}s; stopping anyway (failure detection takes over)"
  exit 0
done
echo "prestop: no replica with a live link; stopping as primary"
exit 0
