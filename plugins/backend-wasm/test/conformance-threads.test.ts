// The whole conformance kit on the threaded module with a two-thread worker pool.
import test from 'ava';
import { runConformance } from '@fovea/testkit';
import { registerWasmBackend } from '../src/index.js';

registerWasmBackend('wasm-2t', { threads: 2 });
runConformance(test, 'wasm-2t');
