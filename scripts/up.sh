#!/usr/bin/env bash
# Quick start: installs everything and brings up the product on the embedded local stack, the
# dashboard served from a production build (built on the first run and whenever the sources
# changed; `pnpm dev` is the hot-reload variant for working on the code).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/ensure-tools.sh
exec pnpm start "$@"
