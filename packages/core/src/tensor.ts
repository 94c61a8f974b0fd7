import type { TensorSpec } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { DisposedError, DTypeError, ShapeError, ValueError } from './errors.js';
import { disposeTensor, moveToBackend, read, readSync, rebind } from './engine.js';
import type { GradNode } from './autograd.js';
import { backward as runBackward, detachTensor } from './autograd.js';
import { fmtShape, shapesEqual, sizeOf } from './shape.js';

/** Nested JS arrays as `toArray()` returns them. */
export type NestedArray = number | boolean | NestedArray[];

/**
 * An n-dimensional array on a backend. Storage belongs to the backend; the tensor holds its
 * handle, shape, dtype and autograd state. Ops are methods too (see methods.ts).
 */
export class Tensor implements TensorSpec {
  readonly shape: readonly number[];
  #dataId: unknown;
  #backend: string;
  #disposed = false;
  #requiresGrad = false;
  /** Accumulated gradient after `backward()`, for tensors that require grad. */
  grad: Tensor | null = null;
  /** The autograd node that produced this tensor, if it was computed from tensors that need grad. */
  gradFn: GradNode | null = null;
  /** Which of `gradFn`'s outputs this tensor is. */
  outputIndex = 0;

  constructor(
    readonly id: number,
    shape: readonly number[],
    readonly dtype: DType,
    dataId: unknown,
    backend: string,
  ) {
    this.shape = Object.freeze([...shape]);
    this.#dataId = dataId;
    this.#backend = backend;
  }

  get dataId(): unknown {
    return this.#dataId;
  }
  get backendName(): string {
    return this.#backend;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get ndim(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.#disposed;
  }
  /** True for tensors created by the user (not by an op that recorded a gradient). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get requiresGrad(): boolean {
    return this.#requiresGrad;
  }
  set requiresGrad(value: boolean) {
    if (value && this.dtype !== 'float32') throw new DTypeError(`only float32 tensors can require gradients, not ${this.dtype}`);
    if (!value && this.gradFn) throw new ValueError('requiresGrad can only be turned off on leaf tensors; use detach()');
    this.#requiresGrad = value;
  }

  /** Sets `requiresGrad` and returns the tensor, like PyTorch's `requires_grad_()`. */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** Internal: called by the engine when storage moves. */
  setStorage(dataId: unknown, backend: string): void {
    this.#dataId = dataId;
    this.#backend = backend;
  }

  assertLive(op: string): void {
    if (this.#disposed) throw new DisposedError(`${op}: tensor #${this.id} ${fmtShape(this.shape)} was disposed`);
  }

  /** Reads the values (waits for queued work on asynchronous backends). */
  async data(): Promise<TypedArray> {
    this.assertLive('data');
    return read(this);
  }

  /** Reads the values now; throws a BackendError on backends that can only read asynchronously. */
  dataSync(): TypedArray {
    this.assertLive('dataSync');
    return readSync(this);
  }

  /** Values as nested arrays (numbers; booleans for bool tensors). */
  toArray(): NestedArray {
    return nest(this.dataSync(), this.shape, this.dtype);
  }

  async array(): Promise<NestedArray> {
    return nest(await this.data(), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item() needs a tensor with one element, got shape ${fmtShape(this.shape)}`);
    return this.dataSync()[0]!;
  }

  /** Frees the storage (shared storage is freed when its last tensor goes). Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    disposeTensor(this);
    this.grad?.dispose();
    this.grad = null;
  }

  /** Copies `value`'s storage into this tensor in place (shapes and dtypes must match). */
  assign(value: Tensor): this {
    this.assertLive('assign');
    value.assertLive('assign');
    if (!shapesEqual(value.shape, this.shape) || value.dtype !== this.dtype) {
      throw new ShapeError(`assign: expected ${this.dtype} ${fmtShape(this.shape)}, got ${value.dtype} ${fmtShape(value.shape)}`);
    }
    rebind(this, value.dataId, value.backendName);
    return this;
  }

  /** Moves the storage to another backend. */
  to(backend: string): Promise<this> {
    this.assertLive('to');
    return moveToBackend(this, backend) as Promise<this>;
  }

  /** Backpropagates from this tensor into the `.grad` of every leaf that requires grad. */
  backward(gradient?: Tensor, options: { retainGraph?: boolean } = {}): void {
    runBackward(this, gradient, options);
  }

  /** A tensor sharing this one's storage, cut from the autograd graph. */
  detach(): Tensor {
    return detachTensor(this);
  }

  toString(): string {
    const values = this.#disposed ? 'disposed' : this.#backend;
    return `Tensor(${this.dtype} ${fmtShape(this.shape)}, ${values})`;
  }
}

function nest(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const cast = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return cast(values[0]!);
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(dim === shape.length - 1 ? cast(values[offset + i]!) : build(offset + i * stride, dim + 1));
    }
    return out;
  };
  return build(0, 0);
}
