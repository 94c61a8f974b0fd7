#!/usr/bin/env bash
# Installs what this package's tests need on Debian without a GPU: the `chromium` package, which
# ships SwiftShader (a Vulkan driver on the CPU, used by Dawn for Node) and the browser for the
# headless smoke test. Skipped when already installed.
set -euo pipefail
if [ -e /usr/lib/chromium/vk_swiftshader_icd.json ] && [ -x /usr/bin/chromium ]; then
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium
