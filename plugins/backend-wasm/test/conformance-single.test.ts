// The whole conformance kit on the single-threaded module.
import test from 'ava';
import { runConformance } from '@fovea/testkit';
import { registerWasmBackend } from '../src/index.js';

registerWasmBackend('wasm-1t', { threads: 1 });
runConformance(test, 'wasm-1t');
