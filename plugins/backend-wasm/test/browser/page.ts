// Runs in headless Chromium, bundled as a user's bundler would: the engine picks its backend
// with ready(), then trains the tiny CNN. `?threads=N` asks the wasm backend for N threads,
// `?wasm=/folder/` points setWasmPath() at another folder. The result lands on `globalThis.result`.
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { registerWasmBackend, setWasmPath, WasmBackend, type RuntimeInfo } from '@fovea/backend-wasm';
import { trainTinyCnn, type TrainResult } from './train.js';

export interface PageResult extends Partial<TrainResult> {
  backend: string;
  info?: RuntimeInfo;
  crossOriginIsolated: boolean;
  events: fv.BackendEvent[];
  error?: string;
}

async function run(events: fv.BackendEvent[]): Promise<PageResult> {
  const query = new URLSearchParams(location.search);
  const wasmPath = query.get('wasm');
  if (wasmPath) setWasmPath(wasmPath);
  const threads = Number(query.get('threads') ?? NaN);
  if (Number.isInteger(threads)) registerWasmBackend('wasm', { threads, priority: 2, replace: true });
  const backend = await fv.ready();
  const info = backend instanceof WasmBackend ? backend.info : undefined;
  return { backend: backend.name, info, crossOriginIsolated, events, ...(await trainTinyCnn()) };
}

const events: fv.BackendEvent[] = [];
fv.onBackendEvent((e) => events.push(e));
(globalThis as { result?: Promise<PageResult> }).result = run(events).catch((err: Error) => ({
  backend: 'error',
  crossOriginIsolated,
  events,
  error: `${err.name}: ${err.message}\n${err.stack ?? ''}`,
}));
