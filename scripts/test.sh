#!/bin/sh
# Installs everything and runs every check (README, command 2; CI runs exactly this).
set -eu
cd "$(dirname "$0")/.."
. scripts/pnpm.sh
pnpm install --frozen-lockfile
sh scripts/install-chromium.sh

echo "== typecheck"; pnpm typecheck
echo "== lint"; pnpm lint
echo "== build"; pnpm build

status=0
echo "== unit and integration tests (vitest)"
pnpm test:unit || status=1
echo "== browser journeys (playwright)"
pnpm test:e2e || status=1

node scripts/summary.mjs
exit $status
