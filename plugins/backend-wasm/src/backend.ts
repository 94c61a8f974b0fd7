import { sizeOf, type Backend, type DType, type KernelImpl, type TensorSpec, type TypedArray, allocArray, bytesPerElement, ValueError } from '@fovea/core';
import { WasmBackendError, WasmDisposedError, WasmMemoryError } from './errors.js';
import { STATUS, type KernelExports } from './exports.js';
import type { Heap } from './heap.js';
import type { Runtime, RuntimeInfo } from './runtime.js';

/** A tensor's storage: a block of the wasm heap (ptr 0 for an empty tensor). */
export interface WasmData {
  readonly ptr: number;
  readonly bytes: number;
}

/** Storage in the wasm heap; kernels call the Rust exports on it. */
export class WasmBackend implements Backend<WasmData> {
  #runtime: Runtime | null;
  #buffers = 0;
  #bytes = 0;
  readonly info: RuntimeInfo;

  constructor(
    readonly name: string,
    runtime: Runtime,
  ) {
    this.#runtime = runtime;
    this.info = runtime.info;
  }

  #live(): Runtime {
    if (!this.#runtime) throw new WasmDisposedError(`backend '${this.name}' was disposed; create or select another backend`);
    return this.#runtime;
  }

  get heap(): Heap {
    return this.#live().heap;
  }

  get exports(): KernelExports {
    return this.#live().exports;
  }

  /** New uninitialised storage for `spec`. */
  alloc(spec: TensorSpec): WasmData {
    const bytes = sizeOf(spec.shape) * bytesPerElement(spec.dtype);
    const ptr = this.heap.alloc(bytes);
    this.#buffers++;
    this.#bytes += bytes;
    return { ptr, bytes };
  }

  write(values: TypedArray, spec: TensorSpec): WasmData {
    const data = this.alloc(spec);
    this.heap.view(spec.dtype, data.ptr, values.length).set(values);
    return data;
  }

  readSync(data: WasmData, spec: TensorSpec): TypedArray {
    const n = sizeOf(spec.shape);
    const out = allocArray(spec.dtype, n);
    out.set(this.heap.view(spec.dtype, data.ptr, n));
    return out;
  }

  read(data: WasmData, spec: TensorSpec): Promise<TypedArray> {
    try {
      return Promise.resolve(this.readSync(data, spec));
    } catch (err) {
      return Promise.reject(err);
    }
  }

  disposeData(data: WasmData): void {
    // After dispose() the whole heap is gone; late frees from the engine are no-ops.
    if (!this.#runtime) return;
    this.#runtime.heap.free(data.ptr, data.bytes);
    this.#buffers--;
    this.#bytes -= data.bytes;
  }

  memoryInfo(): Record<string, number> {
    return {
      wasmBuffers: this.#buffers,
      wasmBytes: this.#bytes,
      wasmHeapBytes: this.#runtime?.heap.byteLength ?? 0,
      wasmThreads: this.info.threads,
    };
  }

  dispose(): void {
    this.#runtime?.dispose();
    this.#runtime = null;
  }

  /**
   * Runs `call` with freshly allocated outputs; on a non-zero status the outputs are freed and
   * the status becomes a typed error, so a failed kernel leaves the heap as it was.
   */
  run(op: string, specs: readonly TensorSpec[], call: (outs: WasmData[]) => number): WasmData[] {
    const outs: WasmData[] = [];
    try {
      for (const spec of specs) outs.push(this.alloc(spec));
      check(op, this.name, call(outs));
    } catch (err) {
      outs.forEach((o) => this.disposeData(o));
      throw err;
    }
    return outs;
  }
}

export function check(op: string, backend: string, status: number): void {
  if (status === STATUS.ok) return;
  if (status === STATUS.outOfMemory) throw new WasmMemoryError(`${op}: the wasm heap could not grow for the kernel's scratch space (backend '${backend}')`);
  if (status === STATUS.indexOutOfRange) throw new ValueError(`${op}: an index is out of range for the indexed dim`);
  throw new WasmBackendError(`${op}: kernel rejected its arguments (status ${status}) on backend '${backend}'`);
}

/** A kernel of this backend. */
export type WasmKernel<A = any> = KernelImpl<A, WasmBackend>;

/** Dtype codes the kernels use. */
export function dtypeCode(dtype: DType): number {
  return dtype === 'float32' ? 0 : dtype === 'int32' ? 1 : 2;
}
