#!/usr/bin/env bash
# Quick start: installs everything and brings up the product on the embedded local stack.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh
exec pnpm dev "$@"
