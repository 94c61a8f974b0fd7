import type { Backend, KernelImpl, TensorInfo, TensorSpec, TypedArray } from '@fovea/core';

/** A storage handle: the flat row-major values of one tensor, in the array type of its dtype. */
export interface JsData {
  readonly values: TypedArray;
}

/** Host-memory storage. Everything is synchronous, so `read` only wraps `readSync`. */
export class JsBackend implements Backend<JsData> {
  readonly name = 'js';
  #buffers = 0;
  #bytes = 0;

  write(values: TypedArray, _spec: TensorSpec): JsData {
    return this.adopt(values.slice());
  }

  /** Takes ownership of an array a kernel filled (no copy). */
  adopt(values: TypedArray): JsData {
    this.#buffers++;
    this.#bytes += values.byteLength;
    return { values };
  }

  readSync(data: JsData, _spec: TensorSpec): TypedArray {
    return data.values.slice();
  }

  read(data: JsData, spec: TensorSpec): Promise<TypedArray> {
    return Promise.resolve(this.readSync(data, spec));
  }

  disposeData(data: JsData): void {
    this.#buffers--;
    this.#bytes -= data.values.byteLength;
  }

  memoryInfo(): Record<string, number> {
    return { heapBuffers: this.#buffers, heapBytes: this.#bytes };
  }
}

/** A kernel of this backend: inputs hold `JsData`, outputs are adopted arrays. */
export type JsKernel<A = any> = KernelImpl<A, JsBackend>;

/** A kernel input: shape, dtype and this backend's storage. */
export type JsTensor = TensorInfo<JsData>;
