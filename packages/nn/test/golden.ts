import { readFileSync } from 'node:fs';
import type { ExecutionContext } from 'ava';
import { tensor, type DType, type Tensor } from '@fovea/core';

/** A golden tensor: shape and row-major values (PyTorch, float64). */
export interface G {
  shape: number[];
  data: number[];
}

export interface GoldenCase {
  name: string;
  op: string;
  attrs: Record<string, any>;
  inputs: Record<string, G>;
  outputs: Record<string, G>;
  grad_seed?: Record<string, G>;
  grads?: Record<string, G>;
}

export function loadCases(file: string): GoldenCase[] {
  return JSON.parse(readFileSync(new URL(`data/${file}`, import.meta.url), 'utf8')).cases;
}

export function fromGolden(g: G, dtype: DType = 'float32'): Tensor {
  return tensor(dtype === 'int32' ? Int32Array.from(g.data) : Float32Array.from(g.data), g.shape, { dtype });
}

/** ‖a − b‖ / ‖b‖ (or ‖a − b‖ where b is zero). */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let norm = 0;
  for (let i = 0; i < expected.length; i++) {
    diff += (actual[i]! - expected[i]!) ** 2;
    norm += expected[i]! ** 2;
  }
  return Math.sqrt(norm ? diff / norm : diff);
}

export function assertClose(t: ExecutionContext, actual: Tensor | null | undefined, expected: G, tolerance: number, what: string): void {
  if (!actual) {
    t.fail(`${what}: missing`);
    return;
  }
  t.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  const err = relError(actual.dataSync(), expected.data);
  t.true(err <= tolerance, `${what}: relative error ${err.toExponential(2)} > ${tolerance}`);
}
