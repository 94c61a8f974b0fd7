import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import '@fovea/backend-webgpu';
import * as core from '@fovea/core';
import '../src/index.js';
import { parityTests } from '../../../tools/parity/harness.js';

// VGG-16 and VGG-19, with and without BN (~130M parameters each): a file of their own, so ava runs them beside the rest.
parityTests(test.serial, core, new URL('./fixtures', import.meta.url).pathname, (arch) => /^vgg(16|19)/.test(arch));
