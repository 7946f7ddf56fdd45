#!/usr/bin/env bash
# While nothing is deployed, the schema lives in one initial migration. After
# changing a model, run this to rebuild that migration from the models.
# Once a release has shipped, use `flask db migrate` for a new revision instead.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
rm -f migrations/versions/*.py
BETTERWAY_INSTANCE="$tmp" DATABASE_URL="sqlite:///$tmp/empty.db" \
  .venv/bin/flask --app wsgi db migrate -m "the register" --rev-id 0001 >/dev/null 2>&1
echo "rebuilt: $(ls migrations/versions/*.py)"
