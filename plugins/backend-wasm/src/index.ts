/**
 * @fovea/backend-wasm — Rust SIMD kernels compiled to WebAssembly. Importing this module
 * registers the 'wasm' backend (priority 2: above 'js', below 'webgpu') with a kernel for every
 * primitive op and every gradient. It starts asynchronously: `await ready()` or
 * `await setBackend('wasm')`.
 */
import { registerBackend, registerKernels } from '@fovea/core';
import { WasmBackend } from './backend.js';
import { kernels } from './kernels/index.js';
import { startRuntime, type RuntimeOptions } from './runtime.js';

export { WasmBackend, type WasmData, type WasmKernel } from './backend.js';
export { WasmBackendError, WasmLoadError, WasmMemoryError, WasmDisposedError } from './errors.js';
export { setWasmPath, type WasmPath } from './locate.js';
export type { RuntimeInfo, RuntimeOptions } from './runtime.js';
export { kernels };

export interface WasmBackendOptions extends RuntimeOptions {
  /** Backend name (default 'wasm'). */
  name?: string;
}

/** Loads the kernels and starts a backend instance (without registering it). */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const runtime = await startRuntime(options);
  const backend = new WasmBackend(options.name ?? 'wasm', runtime);
  if (runtime.info.note) console.warn(`[fovea] ${backend.name}: ${runtime.info.note}`);
  return backend;
}

/**
 * Registers a wasm backend under `name` with all kernels, e.g. a second, single-threaded one
 * for comparisons: `registerWasmBackend('wasm-1t', {threads: 1})`.
 */
export function registerWasmBackend(name: string, options: RuntimeOptions & { priority?: number; replace?: boolean } = {}): void {
  const { priority, replace, ...runtime } = options;
  registerBackend(name, () => createWasmBackend({ ...runtime, name }), { priority: priority ?? 0, replace: replace ?? false });
  registerKernels(name, kernels, { replace: replace ?? false });
}

registerWasmBackend('wasm', { priority: 2 });
