#!/bin/sh
# Container entry point of a Tessera node pod: refresh the peers' addresses in
# nodes.conf from DNS, then exec tessera-server with the shared config file and
# this pod's identity. Environment (set by the StatefulSet):
#   POD_NAME, POD_NAMESPACE, POD_IP   downward API
#   TESSERA_ZONE                      the zone the StatefulSet is pinned to
#   HEADLESS_SERVICE (tessera-nodes), CLUSTER_DOMAIN (cluster.local)
#   TESSERA_CONFIG (/etc/tessera/tessera.conf), TESSERA_DATA_DIR (/data)
# Extra arguments are appended to tessera-server's (--directive value ...).
set -eu
set -f

: "${POD_NAME:?POD_NAME is not set}"
: "${POD_NAMESPACE:?POD_NAMESPACE is not set}"
: "${POD_IP:?POD_IP is not set}"
: "${TESSERA_ZONE:?TESSERA_ZONE is not set}"
CONFIG=${TESSERA_CONFIG:-/etc/tessera/tessera.conf}
DATA=${TESSERA_DATA_DIR:-/data}
FQDN="$POD_NAME.${HEADLESS_SERVICE:-tessera-nodes}.$POD_NAMESPACE.svc.${CLUSTER_DOMAIN:-cluster.local}"

# Pod IPs change when pods are recreated, and the cluster bus dials peers by
# the IP recorded in nodes.conf. One restarted pod is found again on its own
# (it announces its new IP to peers whose IPs did not change), but after every
# pod was recreated (a node pool upgrade, a full restart) all recorded IPs are
# stale. Each peer line keeps the peer's hostname (ip:port@cport,hostname,...):
# resolve it and rewrite the IP. A peer that does not resolve yet keeps its old
# IP; it resolves this pod's name when it starts, and its first message
# carries its new IP.
refresh_peers() {
  conf=$1
  tmp="$conf.refresh.$$"
  : > "$tmp"
  changed=0
  while IFS= read -r line || [ -n "$line" ]; do
    # shellcheck disable=SC2086
    set -- $line
    addr=${2:-}
    case "$addr" in
      *:*@*,*) ;;
      *) printf '%s\n' "$line" >> "$tmp"; continue ;;
    esac
    first=${addr%%,*}          # ip:port@cport
    tail=${addr#*,}            # hostname[,aux=value...]
    host=${tail%%,*}
    case "$host" in
      ''|*=*) printf '%s\n' "$line" >> "$tmp"; continue ;;
    esac
    old=${first%:*}            # the IP (an IPv6 address keeps its colons)
    new=$(getent ahosts "$host" 2>/dev/null | { read -r ip _ || true; printf '%s' "${ip:-}"; })
    if [ -z "$new" ] || [ "$new" = "$old" ]; then
      printf '%s\n' "$line" >> "$tmp"
      continue
    fi
    rest=${line#*" "}
    rest=${rest#*" "}
    printf '%s %s:%s,%s %s\n' "$1" "$new" "${first##*:}" "$tail" "$rest" >> "$tmp"
    echo "start.sh: $host moved $old -> $new"
    changed=1
  done < "$conf"
  if [ "$changed" = 1 ]; then mv "$tmp" "$conf"; else rm -f "$tmp"; fi
}

mkdir -p "$DATA"
if [ -s "$DATA/nodes.conf" ]; then refresh_peers "$DATA/nodes.conf"; fi

exec tessera-server "$CONFIG" \
  --dir "$DATA" \
  --availability-zone "$TESSERA_ZONE" \
  --cluster-announce-ip "$POD_IP" \
  --cluster-announce-hostname "$FQDN" \
  --cluster-preferred-endpoint-type hostname \
  "$@"
