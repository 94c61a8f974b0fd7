import { tensor, type DType, type Tensor } from '@fovea/core';
import { readGoldenFile, type GoldenCase, type GoldenTensor } from '@fovea/testkit';

export type { GoldenCase };

/** Cases of test/data/<file>, copied from the PyTorch goldens (see the file's `source`). */
export function loadCases(file: string): GoldenCase[] {
  return readGoldenFile(new URL(`data/${file}`, import.meta.url));
}

export function fromGolden(g: GoldenTensor, dtype: DType = 'float32'): Tensor {
  return tensor(dtype === 'int32' ? Int32Array.from(g.data) : Float32Array.from(g.data), g.shape, { dtype });
}
