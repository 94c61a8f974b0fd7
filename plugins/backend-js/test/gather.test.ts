import test from 'ava';
import { ValueError } from '@fovea/core';
import { kernels } from '../src/index.js';
import { host, randomTensor, ravel, runKernel, unravel } from './helpers.js';

test('gather reads x at the index along the axis, also with an index smaller than x', (t) => {
  const x = randomTensor([3, 4, 5], 51);
  for (const axis of [0, 1, 2]) {
    const shape = [2, 3, 4];
    const index = host(shape, Array.from({ length: 24 }, (_, i) => (i * 7) % x.shape[axis]!), 'int32');
    const [y] = runKernel(kernels.gather!, [x, index], { axis }, [{ shape, dtype: 'float32' }]);
    const expected = Array.from({ length: 24 }, (_, i) => {
      const idx = unravel(i, shape);
      idx[axis] = index.values[i]!;
      return x.values[ravel(idx, x.shape)]!;
    });
    t.deepEqual([...y!.values], expected, `axis ${axis}`);
  }
});

test('scatterAdd accumulates repeated indices onto a copy of base', (t) => {
  const base = host([2, 3], [1, 1, 1, 1, 1, 1]);
  const index = host([2, 2], [0, 0, 2, 1], 'int32');
  const src = host([2, 3], [10, 20, 99, 30, 40, 99]);
  const [y] = runKernel(kernels.scatterAdd!, [base, index, src], { axis: 1 }, [{ shape: [2, 3], dtype: 'float32' }]);
  t.deepEqual([...y!.values], [31, 1, 1, 1, 41, 31]);
  t.deepEqual([...base.values], [1, 1, 1, 1, 1, 1]);
  const [z] = runKernel(kernels.scatterAdd!, [base, host([1, 3], [1, 0, 1], 'int32'), src], { axis: 0 }, [{ shape: [2, 3], dtype: 'float32' }]);
  t.deepEqual([...z!.values], [1, 21, 1, 11, 1, 100]);
});

test('an index out of range is a ValueError', (t) => {
  const x = host([2, 2], [1, 2, 3, 4]);
  for (const bad of [2, -1]) {
    const error = t.throws(() => runKernel(kernels.gather!, [x, host([1, 1], [bad], 'int32')], { axis: 1 }, [{ shape: [1, 1], dtype: 'float32' }]), { instanceOf: ValueError });
    t.regex(error!.message, /gather: index -?\d is out of range for dim 1 of size 2/);
  }
});
