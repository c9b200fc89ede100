#!/usr/bin/env bash
# Sourced by scripts/test.sh: the browser tests drive Debian's Chromium at /usr/bin/chromium
# (Playwright's own browser download cannot work offline).
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium from Debian's packages for the browser tests..."
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "Chromium is missing and this user cannot install it: run 'apt-get install -y chromium' as root, then run this again." >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
