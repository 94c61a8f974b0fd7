import test from 'ava';
import '../src/index.js';
import { conv2d, manualSeed, maxPool2d, memory, randn, tensor, tidy, type Tensor } from '@fovea/core';
import { maxError } from './helpers.js';

function net(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return maxPool2d(conv2d(x, w, b, { padding: 1, stride: [1, 2] }).relu(), 2).sum();
}

test('conv2d → relu → maxPool2d runs forward and backward through @fovea/core on js', (t) => {
  manualSeed(0);
  const x = randn([2, 3, 6, 8]).requiresGrad_();
  const w = randn([4, 3, 3, 3]).requiresGrad_();
  const b = tensor([0.1, -0.2, 0.3, 0]).requiresGrad_();
  net(x, w, b).backward();
  t.deepEqual(x.grad!.shape, [2, 3, 6, 8]);
  t.deepEqual(b.grad!.shape, [4]);

  // The analytic filter gradient against centred differences of the loss, on a few weights.
  const live = memory().numTensors;
  const values = w.dataSync() as Float32Array;
  const lossAt = (wv: Float32Array) => tidy(() => net(x, tensor(wv, w.shape), b).item());
  const h = 1e-2;
  const picked = [0, 13, 50, 107];
  const numeric = picked.map((i) => {
    const up = values.slice();
    const down = values.slice();
    up[i]! += h;
    down[i]! -= h;
    return (lossAt(up) - lossAt(down)) / (2 * h);
  });
  const analytic = w.grad!.dataSync();
  t.true(maxError(picked.map((i) => analytic[i]!), numeric) < 2e-2);
  t.is(memory().numTensors, live);
});
