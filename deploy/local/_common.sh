# Sourced by up.sh, down.sh, status.sh: finds the repository and makes sure
# the TypeScript that does the work is compiled. No logic of its own.
set -eu
REPO_ROOT=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
CLI="$REPO_ROOT/dist/coordinator/src/local/cli.js"
if [ ! -f "$CLI" ] || [ -n "$(find "$REPO_ROOT/coordinator/src" -name '*.ts' -newer "$CLI" 2>/dev/null | head -1)" ]; then
  (cd "$REPO_ROOT" && npx tsc -p tsconfig.json) >&2
fi
