#!/bin/sh
# Installs everything and starts autoprov on the embedded defaults (README, command 1).
set -eu
cd "$(dirname "$0")/.."
. scripts/pnpm.sh
pnpm install --frozen-lockfile
pnpm build
exec pnpm serve
