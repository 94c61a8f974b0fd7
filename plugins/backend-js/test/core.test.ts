import test from 'ava';
import '../src/index.js';
import {
  conv2d, crossEntropy, indexSelect, linear, manualSeed, maxPool2d, memory, noGrad, randn, svmHinge, tensor, tidy, zeroGrad, zeros, type Tensor,
} from '@fovea/core';
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

test("the notes' losses for the cat/car/frog scores", (t) => {
  const scores = tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
  const labels = tensor([0, 1, 2], undefined, { dtype: 'int32' });
  t.true(maxError(svmHinge(scores, labels, { reduction: 'none' }).dataSync(), [2.9, 0, 12.9]) < 1e-5);
  const cat = crossEntropy(scores.slice([0, 0], [1, 3]), tensor([0], undefined, { dtype: 'int32' }));
  t.true(Math.abs(cat.item() - 2.04) < 5e-3);
});

test('a linear softmax classifier learns three blobs by gradient descent on js', (t) => {
  manualSeed(1);
  const labels = tensor(Array.from({ length: 30 }, (_, i) => i % 3), undefined, { dtype: 'int32' });
  const centres = tensor([[2, 0, 0, 1], [0, 2, 0, -1], [0, 0, 2, 0]]);
  const x = randn([30, 4]).mul(0.3).add(indexSelect(centres, 0, labels));
  const w = zeros([3, 4]).requiresGrad_();
  const b = zeros([3]).requiresGrad_();
  const lossOf = () => crossEntropy(linear(x, w, b), labels);
  const first = tidy(() => lossOf().item());
  for (let step = 0; step < 50; step++) {
    tidy(() => {
      lossOf().backward();
      noGrad(() => {
        w.assign(w.sub(w.grad!.mul(0.5)));
        b.assign(b.sub(b.grad!.mul(0.5)));
      });
      zeroGrad([w, b]);
    });
  }
  const last = tidy(() => lossOf().item());
  t.true(Math.abs(first - Math.log(3)) < 1e-6);
  t.true(last < 0.1, `loss ${first} → ${last}`);
});
