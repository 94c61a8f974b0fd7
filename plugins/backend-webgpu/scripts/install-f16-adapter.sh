#!/usr/bin/env bash
# Installs a software adapter with shader-f16 for the f16-storage tests: Mesa 25's lavapipe from
# Debian bookworm-backports (Debian 12's own Mesa 22 lavapipe is rejected by Dawn; SwiftShader
# has no f16). Skipped when a Mesa >= 25 Vulkan driver is installed, or off Debian bookworm.
# Optional: on failure the f16 tests are reported as skipped, with the reason.
set -uo pipefail
installed=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ -n "$installed" ] && dpkg --compare-versions "$installed" ge 25; then
  exit 0
fi
if ! grep -q 'VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
  echo "install-f16-adapter: not Debian bookworm; skipping (f16-storage tests will be skipped)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo 'deb http://deb.debian.org/debian bookworm-backports main' > /etc/apt/sources.list.d/bookworm-backports.list
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers; }; then
  echo "install-f16-adapter: could not install Mesa from bookworm-backports; f16-storage tests will be skipped"
fi
exit 0
