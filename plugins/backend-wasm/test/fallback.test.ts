// Own file: it needs a fresh engine with no active backend.
import test from 'ava';
import { onBackendEvent, ready, setLogLevel, type BackendEvent } from '@fovea/core';
import '@fovea/backend-js';
import { setWasmPath } from '../src/index.js';

test('when the kernels cannot load, ready() falls back to js and reports why', async (t) => {
  setWasmPath('/nonexistent-fovea-wasm');
  setLogLevel('silent');
  const events: BackendEvent[] = [];
  onBackendEvent((e) => events.push(e));
  const backend = await ready();
  t.is(backend.name, 'js');
  const fallback = events.find((e) => e.type === 'fallback');
  t.is(fallback?.backend, 'js');
  t.regex(fallback?.reason ?? '', /'wasm' failed to initialise \(cannot read the wasm kernels at file:\/\/\/nonexistent-fovea-wasm/);
});
