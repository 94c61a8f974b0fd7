import test from 'ava';
import { sizeOf } from '@fovea/core';
import { kernels } from '../src/index.js';
import { host, maxError, randomTensor, ravel, runKernel, unravel, type HostTensor } from './helpers.js';

/** Folds `x` over `axes` with `f` by the definition: each element into the cell of its kept index. */
function referenceReduce(x: HostTensor, axes: number[], init: number, f: (a: number, v: number) => number): number[] {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(sizeOf(kept)).fill(init);
  for (let i = 0; i < x.values.length; i++) {
    const o = ravel(unravel(i, x.shape).map((v, d) => (axes.includes(d) ? 0 : v)), kept);
    out[o] = f(out[o]!, x.values[i]!);
  }
  return out;
}

const axisSets: [number[], number[]][] = [
  [[2, 3, 4], [0]],
  [[2, 3, 4], [1]],
  [[2, 3, 4], [2]],
  [[2, 3, 4], [0, 2]],
  [[2, 3, 4], [0, 1, 2]],
  [[3, 1, 5, 2], [1, 3]],
  [[4, 6], [0, 1]],
  [[5], [0]],
];

test('sum and max over any set of axes match the definition', (t) => {
  for (const [shape, axes] of axisSets) {
    const x = randomTensor(shape, 21);
    const outShape = shape.filter((_, i) => !axes.includes(i));
    for (const keepdim of [false, true]) {
      const spec = [{ shape: keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : outShape, dtype: 'float32' as const }];
      const [s] = runKernel(kernels.sum!, [x], { axes, keepdim }, spec);
      const [m] = runKernel(kernels.max!, [x], { axes, keepdim }, spec);
      t.true(maxError(s!.values, referenceReduce(x, axes, 0, (a, v) => a + v)) < 1e-6, `sum ${shape} ${axes}`);
      t.true(maxError(m!.values, referenceReduce(x, axes, -Infinity, Math.max)) === 0, `max ${shape} ${axes}`);
    }
  }
});

test('sum of bool counts into int32; int32 max; NaN wins max', (t) => {
  const b = host([2, 3], [1, 0, 1, 1, 1, 1], 'bool');
  const [count] = runKernel(kernels.sum!, [b], { axes: [1], keepdim: false }, [{ shape: [2], dtype: 'int32' }]);
  t.deepEqual([...count!.values], [2, 3]);
  t.true(count!.values instanceof Int32Array);
  const i = host([2, 2], [-5, -7, 3, 9], 'int32');
  t.deepEqual([...runKernel(kernels.max!, [i], { axes: [1], keepdim: false }, [{ shape: [2], dtype: 'int32' }])[0]!.values], [-5, 9]);
  const n = host([3], [1, NaN, 2]);
  t.true(Number.isNaN(runKernel(kernels.max!, [n], { axes: [0], keepdim: false }, [{ shape: [], dtype: 'float32' }])[0]!.values[0]!));
});

test('a long float32 sum stays accurate', (t) => {
  const x = host([100000], new Array<number>(100000).fill(0.1));
  const [s] = runKernel(kernels.sum!, [x], { axes: [0], keepdim: false }, [{ shape: [], dtype: 'float32' }]);
  t.true(Math.abs(s!.values[0]! - 10000) < 1e-2);
});

test('argmax returns the first maximal index, NaN counting as the maximum', (t) => {
  const x = host([2, 4], [1, 3, 3, 2, 0, NaN, 5, NaN]);
  t.deepEqual([...runKernel(kernels.argmax!, [x], { axis: 1, keepdim: false }, [{ shape: [2], dtype: 'int32' }])[0]!.values], [1, 1]);
  const y = host([3, 2], [1, 9, 4, 2, 4, 9]);
  t.deepEqual([...runKernel(kernels.argmax!, [y], { axis: 0, keepdim: true }, [{ shape: [1, 2], dtype: 'int32' }])[0]!.values], [1, 0]);
});

test('softmax and logSoftmax along a middle axis match the definition and survive large inputs', (t) => {
  const shape = [2, 3, 4];
  const x = host(shape, Array.from(randomTensor(shape, 31).values, (v) => v * 50 + 1000));
  const spec = [{ shape, dtype: 'float32' as const }];
  const [p] = runKernel(kernels.softmax!, [x], { axis: 1 }, spec);
  const [lp] = runKernel(kernels.logSoftmax!, [x], { axis: 1 }, spec);
  const expected = Array.from(x.values, (v, i) => {
    const [a, , c] = unravel(i, shape) as [number, number, number];
    const lane = [0, 1, 2].map((k) => x.values[ravel([a, k, c], shape)]!);
    const max = Math.max(...lane);
    return v - max - Math.log(lane.reduce((s, u) => s + Math.exp(u - max), 0));
  });
  t.true(maxError(lp!.values, expected) < 1e-5);
  t.true(maxError(p!.values, expected.map(Math.exp)) < 1e-6);
  // Hand value: softmax([1, 2, 3]) = e^k / (e + e² + e³).
  const [q] = runKernel(kernels.softmax!, [host([3], [1, 2, 3])], { axis: 0 }, [{ shape: [3], dtype: 'float32' }]);
  t.true(maxError(q!.values, [0.09003057, 0.24472847, 0.66524096]) < 1e-6);
});
