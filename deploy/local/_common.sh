# Sourced by up.sh, down.sh, status.sh: finds the repository and the compiled
# TypeScript that does the work. Builds only when it is missing (npm start and
# npm run cluster:up build first); a build error elsewhere in the tree does
# not stop the scripts as long as the entry point exists.
set -eu
REPO_ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
CLI="$REPO_ROOT/dist/coordinator/src/local/cli.js"
if [ ! -f "$CLI" ]; then
  (cd "$REPO_ROOT" && npx tsc -p tsconfig.json) >&2 || true
fi
if [ ! -f "$CLI" ]; then
  echo "missing $CLI: run npm run build" >&2
  exit 1
fi
