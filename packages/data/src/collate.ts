import { ShapeError, Tensor, ValueError, stack, tensor } from '@fovea/core';
import { isHostTensor, type HostTensor } from './host.js';

/** A batch: each field of the samples stacked into one tensor along a new first dimension. */
export type Batch<T> = T extends readonly unknown[] ? { [K in keyof T]: Tensor } : Tensor;

type Field = number | HostTensor | Tensor;

/**
 * Stacks samples into a batch. Numbers become a [B] tensor (int32 when all are integers, as class
 * labels are; float32 otherwise); host tensors become [B, ...shape] — float32 for Float32Array
 * and Uint8Array (pixel values kept as they are, 0–255), int32 for Int32Array; tensors are
 * stacked. Tuples are collated field by field.
 */
export function collate<T>(samples: readonly T[]): Batch<T> {
  if (samples.length === 0) throw new ValueError('collate: no samples');
  const first = samples[0];
  if (!Array.isArray(first)) return collateField(samples as unknown as Field[], 'sample') as Batch<T>;
  return first.map((_, k) => collateField(samples.map((s) => (s as unknown as Field[])[k]!), `field ${k}`)) as unknown as Batch<T>;
}

function collateField(values: readonly Field[], what: string): Tensor {
  const first = values[0];
  if (typeof first === 'number') return collateNumbers(values, what);
  if (first instanceof Tensor) return stack(values as Tensor[], 0);
  if (isHostTensor(first)) return collateHost(values, what);
  throw new ValueError(`collate: ${what} is ${describe(first)}; expected a number, a HostTensor or a Tensor`);
}

function collateNumbers(values: readonly Field[], what: string): Tensor {
  const bad = values.findIndex((v) => typeof v !== 'number');
  if (bad >= 0) throw new ValueError(`collate: ${what} of sample ${bad} is ${describe(values[bad])}, sample 0 has a number`);
  const numbers = values as number[];
  return tensor(numbers, [numbers.length], { dtype: numbers.every(Number.isInteger) ? 'int32' : 'float32' });
}

function collateHost(values: readonly Field[], what: string): Tensor {
  const first = values[0] as HostTensor;
  const size = first.data.length;
  const out = first.data instanceof Int32Array ? new Int32Array(size * values.length) : new Float32Array(size * values.length);
  values.forEach((v, i) => {
    if (!isHostTensor(v) || !sameShape(v.shape, first.shape)) {
      throw new ShapeError(`collate: ${what} of sample ${i} is ${describe(v)}, sample 0 has shape [${first.shape.join(', ')}]`);
    }
    if ((v.data instanceof Int32Array) !== (first.data instanceof Int32Array)) {
      throw new ValueError(`collate: ${what} of sample ${i} is ${v.data.constructor.name}, sample 0 is ${first.data.constructor.name}`);
    }
    out.set(v.data, i * size);
  });
  return tensor(out, [values.length, ...first.shape], { dtype: out instanceof Int32Array ? 'int32' : 'float32' });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function describe(v: unknown): string {
  if (isHostTensor(v)) return `a ${v.data.constructor.name} of shape [${v.shape.join(', ')}]`;
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  return typeof v;
}
