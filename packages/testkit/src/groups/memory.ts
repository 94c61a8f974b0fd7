/** Leak checks: training steps inside `tidy` keep the live tensor and buffer counts constant. */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import type { Check } from '../check.js';

const counts = () => {
  const m = fv.memory();
  return { numTensors: m.numTensors, numDataBuffers: m.numDataBuffers, numBytes: m.numBytes };
};

/** `c` with `n` more tensors and buffers of 3 × 4 floats. */
const grown = (c: ReturnType<typeof counts>, n: number) => ({ numTensors: c.numTensors + n, numDataBuffers: c.numDataBuffers + n, numBytes: c.numBytes + 48 * n });

/** One SGD step: `grad` of the loss with respect to `params`, applied in place without recording. */
function sgdStep(params: Tensor[], loss: () => Tensor, lr = 0.05): void {
  fv.tidy(() => {
    const grads = fv.grad(loss(), params);
    fv.noGrad(() => params.forEach((p, i) => p.assign(fv.sub(p, fv.mul(grads[i]!, lr)))));
  });
}

/** A 2-layer net (the notes' f = W2 max(0, W1 x)) trained with the functional `grad`. */
function twoLayerNet() {
  fv.manualSeed(5);
  const x = fv.randn([8, 4]);
  const y = fv.randint(0, 3, [8]);
  const params = [fv.randn([16, 4], { std: 0.5 }), fv.zeros([16]), fv.randn([3, 16], { std: 0.5 }), fv.zeros([3])];
  params.forEach((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const loss = () => fv.crossEntropy(fv.linear(fv.relu(fv.linear(x, w1, b1)), w2, b2), y);
  return { tensors: [x, y, ...params], step: () => sgdStep(params, loss) };
}

/** A conv/batch-norm/pool net trained with `backward()` and `zeroGrad`, updating running stats. */
function convNet() {
  fv.manualSeed(6);
  const x = fv.randn([2, 1, 6, 6]);
  const y = fv.tensor(Int32Array.from([1, 0]));
  const w = fv.randn([2, 1, 3, 3], { requiresGrad: true });
  const fc = fv.randn([2, 8], { requiresGrad: true });
  const [mean, variance] = [fv.zeros([2]), fv.ones([2])];
  const step = () =>
    fv.tidy(() => {
      const h = fv.batchNorm(fv.conv2d(x, w, null, { padding: 1 }), mean, variance, null, null, { training: true });
      const scores = fv.linear(fv.flatten(fv.maxPool2d(fv.relu(h), { kernelSize: 3, stride: 3 }), 1), fc);
      fv.crossEntropy(scores, y).backward();
      fv.noGrad(() => [w, fc].forEach((p) => p.assign(fv.sub(p, fv.mul(p.grad!, 0.1)))));
      fv.zeroGrad([w, fc]);
    });
  return { tensors: [x, y, w, fc, mean, variance], step };
}

function steadyState(name: string, make: () => { tensors: Tensor[]; step: () => unknown }, steps: number): Check {
  return {
    name,
    async run(t) {
      const before = counts();
      const { tensors, step } = make();
      step();
      const settled = counts();
      for (let i = 1; i < steps; i++) {
        step();
        t.deepEqual(counts(), settled, `after step ${i + 1}`);
      }
      fv.dispose(tensors);
      t.deepEqual(counts(), before, 'disposing the model frees everything');
    },
  };
}

export function memoryChecks(): Check[] {
  return [
    steadyState('2-layer net: 200 training steps in tidy', twoLayerNet, 200),
    steadyState('conv/batchNorm/pool net with backward() and zeroGrad', convNet, 5),
    {
      // Counts are compared within synchronous stretches: across an await, the garbage
      // collector may finalize tensors leaked elsewhere.
      name: 'dispose frees shared storage once',
      async run(t) {
        const before = counts();
        const x = fv.ones([3, 4]);
        const view = fv.reshape(x, [12]);
        x.dispose();
        t.deepEqual(counts(), grown(before, 1), 'a reshape keeps the storage alive');
        t.deepEqual([...(await view.data())], new Array(12).fill(1));
        const held = counts();
        view.dispose();
        t.deepEqual(counts(), grown(held, -1), 'the last tensor frees it');
      },
    },
  ];
}
