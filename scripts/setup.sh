#!/usr/bin/env bash
# Installs everything the build and tests need on a fresh Debian machine with Node 20 + npm,
# then builds. Safe to re-run: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=$(node -p "require('./package.json').packageManager.split('@')[1]")
if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" --no-fund --no-audit
fi
for script in scripts/setup.d/*.sh; do
  [ -e "$script" ] && bash "$script"
done
pnpm install --frozen-lockfile
pnpm build
