import type { ExecutionContext } from 'ava';
import type { DType, Tensor } from '@fovea/core';

/** Expected values of a tensor, flat and row-major. */
export interface Expected {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
  readonly dtype?: DType;
}

/**
 * ‖actual − expected‖ / ‖expected‖ (the plain norm of the difference where expected is zero).
 * Non-finite values must match exactly (±Infinity, NaN where NaN is expected) and are left out
 * of the norms.
 */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i]!, expected[i]!];
    if (!Number.isFinite(e)) {
      if (!Object.is(a, e) && !(Number.isNaN(a) && Number.isNaN(e))) return Infinity;
      continue;
    }
    diff += (a - e) ** 2;
    norm += e ** 2;
  }
  return Math.sqrt(norm === 0 ? diff : diff / norm);
}

/**
 * Asserts shape, dtype (when given) and values within `tolerance`, reading the tensor
 * asynchronously so that queued backends work too.
 */
export async function expectClose(t: ExecutionContext, actual: Tensor, expected: Expected, tolerance: number, what: string): Promise<void> {
  t.deepEqual([...actual.shape], [...expected.shape], `${what}: shape`);
  if (expected.dtype) t.is(actual.dtype, expected.dtype, `${what}: dtype`);
  const values = await actual.data();
  const error = relativeError(values, expected.data);
  t.true(error <= tolerance, `${what}: relative error ${error.toExponential(2)} exceeds ${tolerance}; got [${preview(values)}], expected [${preview(expected.data)}]`);
}

function preview(values: ArrayLike<number>): string {
  const shown = Array.from({ length: Math.min(values.length, 8) }, (_, i) => +Number(values[i]).toPrecision(6));
  return shown.join(', ') + (values.length > 8 ? `, … (${values.length})` : '');
}
