import test from 'ava';
import { sizeOf } from '@fovea/core';
import { kernels } from '../src/index.js';
import { host, randomTensor, ravel, runKernel, unravel, type HostTensor } from './helpers.js';

/** out[i] = x[source(i)] over every multi-index i of `shape`, by the definition. */
function referenceMove(x: HostTensor, shape: number[], source: (index: number[]) => number[] | null, fill = 0): number[] {
  return Array.from({ length: sizeOf(shape) }, (_, i) => {
    const from = source(unravel(i, shape));
    return from ? x.values[ravel(from, x.shape)]! : fill;
  });
}

test('transpose permutes axes (2-d, 4-d, with unit dims)', (t) => {
  const cases: [number[], number[]][] = [
    [[3, 4], [1, 0]],
    [[2, 3, 4, 5], [0, 2, 3, 1]],
    [[2, 3, 4, 5], [3, 1, 0, 2]],
    [[1, 3, 1, 2], [3, 2, 1, 0]],
  ];
  for (const [shape, perm] of cases) {
    const x = randomTensor(shape, 41);
    const outShape = perm.map((p) => shape[p]!);
    const [y] = runKernel(kernels.transpose!, [x], { perm }, [{ shape: outShape, dtype: 'float32' }]);
    const expected = referenceMove(x, outShape, (idx) => {
      const from = new Array<number>(shape.length);
      perm.forEach((p, d) => (from[p] = idx[d]!));
      return from;
    });
    t.deepEqual([...y!.values], expected, `${shape} ${perm}`);
  }
});

test('expand repeats unit dims', (t) => {
  const x = host([2, 1, 3], [1, 2, 3, 4, 5, 6], 'int32');
  const [y] = runKernel(kernels.expand!, [x], { shape: [2, 2, 3] }, [{ shape: [2, 2, 3], dtype: 'int32' }]);
  t.deepEqual([...y!.values], [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6]);
});

test('slice reads begin + i·step per dim, with negative steps', (t) => {
  const x = randomTensor([4, 5, 6], 42);
  const cases: [number[], number[], number[]][] = [
    [[1, 0, 2], [1, 2, 1], [2, 3, 3]],
    [[3, 4, 5], [-1, -2, -3], [4, 3, 2]],
    [[0, 0, 0], [1, 1, 1], [4, 5, 6]],
    [[2, 1, 0], [1, 1, 1], [0, 2, 6]],
  ];
  for (const [begin, step, shape] of cases) {
    const [y] = runKernel(kernels.slice!, [x], { begin, step }, [{ shape, dtype: 'float32' }]);
    t.deepEqual([...y!.values], referenceMove(x, shape, (idx) => idx.map((i, d) => begin[d]! + i * step[d]!)), `${begin} ${step}`);
  }
});

test('concat joins along any axis', (t) => {
  const a = randomTensor([2, 3, 2], 43);
  const b = randomTensor([2, 1, 2], 44);
  const c = randomTensor([2, 4, 2], 45);
  const [y] = runKernel(kernels.concat!, [a, b, c], { axis: 1 }, [{ shape: [2, 8, 2], dtype: 'float32' }]);
  const expected = Array.from({ length: 32 }, (_, i) => {
    const [n, k, w] = unravel(i, [2, 8, 2]) as [number, number, number];
    const [src, kk] = k < 3 ? [a, k] : k < 4 ? [b, k - 3] : [c, k - 4];
    return src.values[ravel([n, kk, w], src.shape)]!;
  });
  t.deepEqual([...y!.values], expected);
  const [z] = runKernel(kernels.concat!, [host([1, 2], [1, 2]), host([2, 2], [3, 4, 5, 6])], { axis: 0 }, [{ shape: [3, 2], dtype: 'float32' }]);
  t.deepEqual([...z!.values], [1, 2, 3, 4, 5, 6]);
});

test('pad surrounds the input with a constant', (t) => {
  const x = randomTensor([2, 3, 2], 46);
  const pads: [number, number][] = [[0, 1], [2, 0], [1, 1]];
  const shape = x.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
  const [y] = runKernel(kernels.pad!, [x], { pads, value: -7 }, [{ shape, dtype: 'float32' }]);
  const expected = referenceMove(x, shape, (idx) => {
    const from = idx.map((i, d) => i - pads[d]![0]);
    return from.every((f, d) => f >= 0 && f < x.shape[d]!) ? from : null;
  }, -7);
  t.deepEqual([...y!.values], expected.map(Math.fround));
  const [z] = runKernel(kernels.pad!, [host([2], [1, 2], 'int32')], { pads: [[1, 2]], value: 0 }, [{ shape: [5], dtype: 'int32' }]);
  t.deepEqual([...z!.values], [0, 1, 2, 0, 0]);
});
