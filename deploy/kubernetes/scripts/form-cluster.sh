#!/bin/sh
# The create-cluster Job: wait until every node pod answers, then form the
# cluster once. Safe to rerun: a step already done is skipped.
#   TESSERA_PRIMARIES  pod names of the first primaries, one per shard, in slot order
#   TESSERA_REPLICAS   pod names of the replicas; the i-th joins shard (i mod shards)
#   POD_NAMESPACE, HEADLESS_SERVICE (tessera-nodes), CLUSTER_DOMAIN (cluster.local)
#   NAME_SUFFIX        overrides ".$HEADLESS_SERVICE.$POD_NAMESPACE.svc.$CLUSTER_DOMAIN"
#   TESSERA_PORT (6379), WAIT_SECONDS (600)
# The coordinator's `tessera create-cluster` starts local processes; it cannot
# adopt running pods. So the primaries are joined with `redis-cli --cluster
# create` (what deploy/local does too) and each replica with
# `tessera add-replica --add`, which puts it behind the chosen shard's primary.
set -eu
set -f

: "${TESSERA_PRIMARIES:?TESSERA_PRIMARIES is not set}"
TESSERA_REPLICAS=${TESSERA_REPLICAS:-}
PORT=${TESSERA_PORT:-6379}
WAIT=${WAIT_SECONDS:-600}
SUFFIX=${NAME_SUFFIX-.${HEADLESS_SERVICE:-tessera-nodes}.${POD_NAMESPACE:?POD_NAMESPACE is not set}.svc.${CLUSTER_DOMAIN:-cluster.local}}

# The IP a node's DNS name resolves to now (nodes MEET by IP, as in Redis).
resolve() {
  getent ahosts "$1$SUFFIX" 2>/dev/null | { read -r ip _ || true; printf '%s' "${ip:-}"; }
}

ip_of() {
  ip=$(resolve "$1")
  [ -n "$ip" ] || { echo "form-cluster: $1$SUFFIX does not resolve" >&2; exit 1; }
  printf '%s' "$ip"
}

echo "form-cluster: waiting up to ${WAIT}s for: $TESSERA_PRIMARIES $TESSERA_REPLICAS"
start=$(date +%s)
for pod in $TESSERA_PRIMARIES $TESSERA_REPLICAS; do
  while :; do
    ip=$(resolve "$pod")
    if [ -n "$ip" ] && [ "$(redis-cli -h "$ip" -p "$PORT" ping 2>/dev/null)" = PONG ]; then
      echo "form-cluster: $pod$SUFFIX ($ip) answers"
      break
    fi
    if [ $(( $(date +%s) - start )) -ge "$WAIT" ]; then
      echo "form-cluster: $pod$SUFFIX did not answer within ${WAIT}s" >&2
      exit 1
    fi
    sleep 2
  done
done

info() { redis-cli -h "$1" -p "$PORT" cluster info | tr -d '\r' | sed -n "s/^$2://p"; }

set -- $TESSERA_PRIMARIES
shards=$#
seed=$(ip_of "$1")
assigned=$(info "$seed" cluster_slots_assigned)
if [ "$assigned" = 16384 ]; then
  echo "form-cluster: slots already assigned; not creating"
else
  primaries=""
  for pod in $TESSERA_PRIMARIES; do
    ip=$(ip_of "$pod")
    if [ "$(info "$ip" cluster_known_nodes)" != 1 ] || [ "$(info "$ip" cluster_slots_assigned)" != 0 ]; then
      echo "form-cluster: $pod already knows other nodes or owns slots, but the cluster is not complete;" >&2
      echo "  inspect with 'redis-cli --cluster check $ip:$PORT' and repair with 'redis-cli --cluster fix'" >&2
      exit 2
    fi
    primaries="$primaries $ip:$PORT"
  done
  echo "form-cluster: redis-cli --cluster create$primaries --cluster-replicas 0"
  # shellcheck disable=SC2086
  redis-cli --cluster create $primaries --cluster-replicas 0 --cluster-yes
fi

i=0
for pod in $TESSERA_REPLICAS; do
  shard=$((i % shards))
  i=$((i + 1))
  ip=$(ip_of "$pod")
  role=$(redis-cli -h "$ip" -p "$PORT" role | head -n 1 | tr -d '\r')
  if [ "$role" = slave ]; then
    echo "form-cluster: $pod is already a replica"
    continue
  fi
  # After a failover a planned replica is a primary owning slots: leave it.
  set -- $(redis-cli -h "$ip" -p "$PORT" cluster nodes | tr -d '\r' | grep myself)
  if [ $# -gt 8 ]; then
    echo "form-cluster: $pod is a primary owning slots (a failover happened); leaving it"
    continue
  fi
  echo "form-cluster: $pod ($ip) -> replica of shard $shard"
  tessera add-replica --node "$seed:$PORT" --shard "$shard" --add "$ip:$PORT"
done

tessera describe --node "$seed:$PORT"
