import test from 'ava';
import { gemm, kernels } from '../src/index.js';
import { maxError, randomTensor, runKernel } from './helpers.js';

/** op(A)·op(B) by the definition, in doubles. */
function reference(m: number, n: number, k: number, a: Float32Array, ta: boolean, b: Float32Array, tb: boolean): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (ta ? a[p * m + i]! : a[i * k + p]!) * (tb ? b[j * k + p]! : b[p * n + j]!);
      c[i * n + j] = s;
    }
  }
  return c;
}

// Sizes straddle the 4×4 tile, the 64-row A block, the 256-deep K block and the 1024-wide B block;
// fewer than 4 rows take the row-by-row path.
const sizes: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 4, 4],
  [67, 9, 300],
  [5, 1030, 2],
  [1, 6, 513],
  [2, 37, 19],
  [3, 1030, 260],
];

test('gemm matches the definition for every transpose combination and edge size', (t) => {
  for (const [m, n, k] of sizes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = randomTensor([m * k], m + k).values as Float32Array;
        const b = randomTensor([k * n], n + 3 * k).values as Float32Array;
        const c = new Float32Array(m * n);
        gemm(m, n, k, { data: a, offset: 0, stride: ta ? m : k, transpose: ta }, { data: b, offset: 0, stride: tb ? k : n, transpose: tb }, { data: c, offset: 0, stride: n });
        t.true(maxError(c, reference(m, n, k, a, ta, b, tb)) < 1e-5, `${m}×${n}×${k} ${ta} ${tb}`);
      }
    }
  }
});

test('gemm accumulates into a sub-block of C addressed by offset and stride', (t) => {
  const a = new Float32Array([1, 2, 3, 4]);
  const b = new Float32Array([5, 6, 7, 8]);
  const c = new Float32Array(12).fill(1);
  // C is 3×4; the product lands at rows 1–2, columns 1–2.
  gemm(2, 2, 2, { data: a, offset: 0, stride: 2, transpose: false }, { data: b, offset: 0, stride: 2, transpose: false }, { data: c, offset: 5, stride: 4 });
  t.deepEqual([...c], [1, 1, 1, 1, 1, 20, 23, 1, 1, 44, 51, 1]);
});

test('batchMatmul runs one product per batch entry, honouring the transpose flags', (t) => {
  const [batch, m, n, k] = [3, 5, 6, 7];
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = randomTensor(transposeA ? [batch, k, m] : [batch, m, k], 11);
      const b = randomTensor(transposeB ? [batch, n, k] : [batch, k, n], 12);
      const [y] = runKernel(kernels.batchMatmul!, [a, b], { transposeA, transposeB }, [{ shape: [batch, m, n], dtype: 'float32' }]);
      const expected: number[] = [];
      for (let i = 0; i < batch; i++) {
        const ai = (a.values as Float32Array).subarray(i * m * k, (i + 1) * m * k);
        const bi = (b.values as Float32Array).subarray(i * k * n, (i + 1) * k * n);
        expected.push(...reference(m, n, k, ai, transposeA, bi, transposeB));
      }
      t.true(maxError(y!.values, expected) < 1e-5, `${transposeA} ${transposeB}`);
    }
  }
});
