import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** What the engine knows of a tensor a kernel receives: the backend's handle plus metadata. */
export interface TensorInfo<D = unknown> {
  readonly dataId: D;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** An output a kernel must produce (inferred by the op before the kernel runs). */
export interface TensorSpec {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * The whole device contract. Storage handles (`D`) are opaque to the engine, which reference
 * counts them: a kernel may return an input's handle (a free reshape) and the engine frees a
 * handle through `disposeData` once no tensor uses it.
 */
export interface Backend<D = unknown> {
  readonly name: string;
  /** Copies host values into new storage. */
  write(values: TypedArray, spec: TensorSpec): D;
  /** Reads storage back; the only read an asynchronous (queued) backend needs to offer. */
  read(dataId: D, spec: TensorSpec): Promise<TypedArray>;
  /** Synchronous read; leave it out where the device cannot block (WebGPU). */
  readSync?(dataId: D, spec: TensorSpec): TypedArray;
  disposeData(dataId: D): void;
  /** Backend-specific memory details merged into `memory()` (pool sizes, heap bytes…). */
  memoryInfo?(): Record<string, number>;
  /** Resolves once queued work is done (an async backend's fence). */
  sync?(): Promise<void>;
  /** Releases the device. */
  dispose?(): void;
}

export interface KernelContext<A = Record<string, unknown>, B extends Backend = Backend> {
  readonly backend: B;
  readonly inputs: readonly TensorInfo<BackendData<B>>[];
  readonly attrs: A;
  /** Shapes and dtypes of the outputs, as the op inferred them. */
  readonly outputs: readonly TensorSpec[];
}

export type BackendData<B> = B extends Backend<infer D> ? D : unknown;

/** A kernel returns one storage handle per output, in order. */
export type KernelImpl<A = any, B extends Backend = any> = (ctx: KernelContext<A, B>) => BackendData<B>[];

export type BackendFactory = () => Backend | Promise<Backend>;

export interface BackendOptions {
  /** Higher wins when no backend was chosen explicitly (js = 1, wasm = 2, webgpu = 3). */
  priority?: number;
  /** Replace an existing registration of the same name instead of throwing. */
  replace?: boolean;
}
