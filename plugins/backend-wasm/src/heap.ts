import type { DType, TypedArray } from '@fovea/core';
import type { KernelExports } from './exports.js';
import { WasmMemoryError } from './errors.js';

/** The largest block wasm32's allocator can describe (Rust's isize::MAX). */
const MAX_BLOCK = 2 ** 31 - 16;

/** Room for the small i32 arrays (shapes, strides, conv geometry) passed to kernels. */
const ARG_SLOTS = 6;
const ARG_INTS = 16;

/**
 * The wasm linear memory seen from JS. Typed-array views go stale whenever the memory grows
 * (any allocation may grow it), so every access goes through `f32()`/`i32()`/`u8()`, which
 * rebuild the views after growth.
 */
export class Heap {
  #buffer: ArrayBufferLike | null = null;
  #f32 = new Float32Array(0);
  #i32 = new Int32Array(0);
  #u8 = new Uint8Array(0);
  readonly #args: number;

  constructor(
    readonly exports: KernelExports,
    readonly memory: WebAssembly.Memory,
  ) {
    this.#args = this.alloc(ARG_SLOTS * ARG_INTS * 4);
  }

  /** Allocates `bytes` (16-byte aligned); throws WasmMemoryError when the heap cannot grow. */
  alloc(bytes: number): number {
    if (bytes === 0) return 0;
    // Checked here: a larger count would wrap when passed as a wasm i32.
    const ptr = bytes <= MAX_BLOCK ? this.exports.fv_alloc(bytes) >>> 0 : 0;
    if (ptr === 0) {
      throw new WasmMemoryError(
        `the wasm heap could not grow to allocate ${bytes} bytes (heap is ${this.memory.buffer.byteLength} bytes; ` +
          'one block holds at most 2 GiB, a 32-bit wasm memory at most 4 GiB, the threaded build at most 2 GiB)',
      );
    }
    return ptr;
  }

  free(ptr: number, bytes: number): void {
    if (ptr !== 0) this.exports.fv_free(ptr, bytes);
  }

  #refresh(): void {
    const buffer = this.memory.buffer;
    if (buffer === this.#buffer && buffer.byteLength === this.#u8.length) return;
    this.#buffer = buffer;
    this.#f32 = new Float32Array(buffer);
    this.#i32 = new Int32Array(buffer);
    this.#u8 = new Uint8Array(buffer);
  }

  f32(): Float32Array {
    this.#refresh();
    return this.#f32;
  }

  i32(): Int32Array {
    this.#refresh();
    return this.#i32;
  }

  u8(): Uint8Array {
    this.#refresh();
    return this.#u8;
  }

  /** A view of `length` elements of `dtype` at `ptr`, valid until the next allocation. */
  view(dtype: DType, ptr: number, length: number): TypedArray {
    if (dtype === 'float32') return this.f32().subarray(ptr >>> 2, (ptr >>> 2) + length);
    if (dtype === 'int32') return this.i32().subarray(ptr >>> 2, (ptr >>> 2) + length);
    return this.u8().subarray(ptr, ptr + length);
  }

  /** Writes small int arrays into the argument slots; returns their pointers. */
  args(...arrays: readonly (readonly number[])[]): number[] {
    const ints = this.i32();
    return arrays.map((values, slot) => {
      if (slot >= ARG_SLOTS || values.length > ARG_INTS) throw new RangeError(`kernel arguments exceed ${ARG_SLOTS}×${ARG_INTS} ints`);
      const ptr = this.#args + slot * ARG_INTS * 4;
      ints.set(values, ptr >>> 2);
      return ptr;
    });
  }

  get byteLength(): number {
    return this.memory.buffer.byteLength;
  }
}
