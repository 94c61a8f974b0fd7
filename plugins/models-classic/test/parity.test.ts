import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import '@fovea/backend-webgpu';
import * as core from '@fovea/core';
import '../src/index.js';
import { parityTests } from '../../../tools/parity/harness.js';

parityTests(test.serial, core, new URL('./fixtures', import.meta.url).pathname, (arch) => !arch.startsWith('vgg'));
