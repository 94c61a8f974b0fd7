import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import '@fovea/backend-webgpu';
import * as core from '@fovea/core';
import '../src/index.js';
import { parityTests } from '../../../tools/parity/harness.js';

// VGG-11 and VGG-13, with and without BN (~130M parameters each): a file of their own, so ava runs them beside the rest.
parityTests(test.serial, core, new URL('./fixtures', import.meta.url).pathname, (arch) => /^vgg(11|13)/.test(arch));
