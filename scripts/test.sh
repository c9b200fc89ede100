#!/usr/bin/env bash
# Installs everything and runs every test: lint, types, unit, integration against the real
# embedded stack. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh
source scripts/lib/ensure-chromium.sh
exec pnpm test
