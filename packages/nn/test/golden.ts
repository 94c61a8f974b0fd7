import { readFileSync } from 'node:fs';
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

/** Cases of test/data/<file>, copied from the PyTorch goldens (see the file's `source`). */
export function loadCases(file: string): GoldenCase[] {
  return JSON.parse(readFileSync(new URL(`data/${file}`, import.meta.url), 'utf8')).cases;
}

export function fromGolden(g: G, dtype: DType = 'float32'): Tensor {
  return tensor(dtype === 'int32' ? Int32Array.from(g.data) : Float32Array.from(g.data), g.shape, { dtype });
}
