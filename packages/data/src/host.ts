import { ShapeError, sizeOf, type Tensor } from '@fovea/core';

/**
 * Values on the host, before batching: a typed array in row-major order and its shape. Images
 * are CHW (`[channels, height, width]`). `Uint8Array` holds raw pixels (0–255), `Float32Array`
 * real values, `Int32Array` integers. Transforms never modify their input; they return new arrays
 * (or the input itself when there is nothing to do).
 */
export interface HostTensor {
  readonly data: Uint8Array | Float32Array | Int32Array;
  readonly shape: readonly number[];
}

/** A checked host tensor. */
export function hostTensor(data: HostTensor['data'], shape: readonly number[]): HostTensor {
  if (sizeOf(shape) !== data.length) {
    throw new ShapeError(`host tensor: shape [${shape.join(', ')}] needs ${sizeOf(shape)} values, got ${data.length}`);
  }
  return { data, shape: [...shape] };
}

export function isHostTensor(value: unknown): value is HostTensor {
  if (typeof value !== 'object' || value === null) return false;
  const { data, shape } = value as HostTensor;
  return Array.isArray(shape) && (data instanceof Float32Array || data instanceof Uint8Array || data instanceof Int32Array);
}

/** A tensor's values on the host (synchronous read; bool becomes Uint8Array). */
export function toHost(t: Tensor): HostTensor {
  return { data: t.dataSync(), shape: t.shape };
}

/** Image dimensions of a CHW host tensor, or a ShapeError naming who asked. */
export function chw(x: HostTensor, who: string): { c: number; h: number; w: number } {
  if (x.shape.length !== 3) throw new ShapeError(`${who}: expected a CHW image [C, H, W], got shape [${x.shape.join(', ')}]`);
  const [c, h, w] = x.shape as [number, number, number];
  return { c, h, w };
}

/** A new array of the same element type as `like`. */
export function allocLike(like: HostTensor['data'], size: number): HostTensor['data'] {
  return new (like.constructor as new (n: number) => HostTensor['data'])(size);
}
