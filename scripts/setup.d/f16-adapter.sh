#!/usr/bin/env bash
# Mesa 25's lavapipe: a software adapter with shader-f16, for the WebGPU f16-storage tests.
exec bash plugins/backend-webgpu/scripts/install-f16-adapter.sh
