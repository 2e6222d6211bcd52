#!/bin/sh
# `npm start`: brings a cluster up with up.sh, stays in the foreground, and
# on Ctrl-C (SIGINT), SIGTERM or SIGHUP stops it with down.sh. Arguments go to
# up.sh (e.g. --server redis); --data-dir is honoured by down.sh too.
set -u
here=$(dirname "$(readlink -f "$0")")
data_dir=./.tessera/cluster
prev=
for a in "$@"; do
  [ "$prev" = "--data-dir" ] && data_dir=$a
  prev=$a
done
stopping=0
stop() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  echo "Stopping the cluster..."
  "$here/down.sh" --data-dir "$data_dir"
  exit 0
}
trap stop INT TERM HUP
if ! "$here/up.sh" "$@"; then
  echo "up.sh failed; stopping whatever it started." >&2
  "$here/down.sh" --data-dir "$data_dir"
  exit 1
fi
echo "Running. Press Ctrl-C to stop the cluster."
# sleep in the background + wait, so a signal interrupts the wait at once.
while :; do
  sleep 3600 &
  wait $! 2>/dev/null || true
  kill $! 2>/dev/null || true
done
