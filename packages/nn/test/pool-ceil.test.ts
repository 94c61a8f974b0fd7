import test from 'ava';
import '@fovea/backend-js';
import { zeros } from '@fovea/core';
import { AvgPool2d, MaxPool2d } from '../src/index.js';

test('MaxPool2d and AvgPool2d pass ceilMode through (PyTorch ceil_mode)', (t) => {
  const x = zeros([1, 1, 6, 6]);
  t.deepEqual(new MaxPool2d(3, { stride: 2 }).call(x).shape, [1, 1, 2, 2]);
  t.deepEqual(new MaxPool2d(3, { stride: 2, ceilMode: true }).call(x).shape, [1, 1, 3, 3]);
  t.deepEqual(new AvgPool2d(3, { stride: 2, ceilMode: true }).call(x).shape, [1, 1, 3, 3]);
});
