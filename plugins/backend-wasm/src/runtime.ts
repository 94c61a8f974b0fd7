import type { KernelExports } from './exports.js';
import { WasmLoadError } from './errors.js';
import { detectFeatures, hardwareThreads, isNode } from './features.js';
import { Heap } from './heap.js';
import { compileModule, type Variant } from './locate.js';
import { startWorkers, type WorkerPool } from './workers.js';

export interface RuntimeOptions {
  /**
   * Threads to compute with, the caller's included. Default: the `FOVEA_WASM_THREADS`
   * environment variable in Node, else the machine's hardware threads (at most 8).
   */
  threads?: number;
}

/** What was started, and why; the backend reports it. */
export interface RuntimeInfo {
  variant: Variant;
  simd: true;
  threads: number;
  /** Why fewer threads run than were asked for, if so. */
  note?: string;
}

export interface Runtime {
  readonly exports: KernelExports;
  readonly heap: Heap;
  readonly info: RuntimeInfo;
  dispose(): void;
}

/** Initial pages of the shared memory: above the module's own minimum (static data + stack). */
const SHARED_INITIAL_PAGES = 256;
const SHARED_MAX_PAGES = 32768;
/** Longest single block while waiting for workers (the pool re-checks after it). */
const WAIT_MS = 2;

async function wantedThreads(options: RuntimeOptions): Promise<number> {
  const env = isNode() ? Number(process.env.FOVEA_WASM_THREADS) : NaN;
  const n = options.threads ?? (Number.isInteger(env) && env > 0 ? env : Math.min(await hardwareThreads(), 8));
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`threads must be a positive integer, got ${n}`);
  return n;
}

async function startSingle(note?: string): Promise<Runtime> {
  const module = await compileModule('simd');
  const instance = await WebAssembly.instantiate(module, {});
  const exports = instance.exports as unknown as KernelExports;
  const heap = new Heap(exports, exports.memory!);
  const info: RuntimeInfo = { variant: 'simd', simd: true, threads: 1, ...(note ? { note } : {}) };
  return { exports, heap, info, dispose: () => undefined };
}

async function startThreaded(threads: number): Promise<Runtime> {
  const module = await compileModule('threads');
  const memory = new WebAssembly.Memory({ initial: SHARED_INITIAL_PAGES, maximum: SHARED_MAX_PAGES, shared: true });
  const flags = new Int32Array(memory.buffer);
  // Browsers forbid Atomics.wait on the main thread; there the pool keeps spinning instead.
  const canBlock = isNode() || typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      fv_host_wake: (addr: number) => void Atomics.notify(flags, addr >>> 2),
      fv_host_wait: (addr: number, expected: number) => void (canBlock && Atomics.wait(flags, addr >>> 2, expected, WAIT_MS)),
    },
  });
  const exports = instance.exports as unknown as KernelExports;
  const heap = new Heap(exports, memory);
  const pool: WorkerPool = await startWorkers(module, heap, threads);
  return { exports, heap, info: { variant: 'threads', simd: true, threads }, dispose: () => pool.terminate() };
}

/**
 * Loads the kernels: the threaded module with a worker pool when more than one thread is wanted
 * and the runtime allows it, else the single-threaded module, saying why in `info.note`.
 */
export async function startRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const features = detectFeatures();
  if (!features.simd) throw new WasmLoadError('this runtime lacks WebAssembly SIMD (simd128), which the wasm kernels need');
  const threads = await wantedThreads(options);
  if (threads === 1) return startSingle();
  if (!features.threads) return startSingle(`running single-threaded: ${features.threadsReason}`);
  try {
    return await startThreaded(threads);
  } catch (err) {
    return startSingle(`running single-threaded: the threaded kernels did not start (${(err as Error).message})`);
  }
}
