#!/usr/bin/env bash
# Chromium brings SwiftShader (Dawn's software Vulkan for the WebGPU tests) and the browser for
# the headless smoke test.
exec bash plugins/backend-webgpu/scripts/install-software-gpu.sh
