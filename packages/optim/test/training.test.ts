import '@fovea/backend-js';
import test from 'ava';
import { manualSeed, memory, randn, tidy } from '@fovea/core';
import { CrossEntropyLoss, Linear, ReLU, Sequential } from '@fovea/nn';
import { Adam, clipGradNorm, CosineAnnealingLR, EMA } from '../src/index.js';

/** Three separable classes in 4-D: the label is the argmax of the first three coordinates. */
function data() {
  const x = randn([32, 4]);
  // In tidy: an undisposed slice would be counted until the GC's finalizer freed it, at a
  // moment the loop below cannot predict.
  const y = tidy(() => x.slice([0, 0], [32, 3]).argmax(1));
  return { x, y };
}

test('200 steps of a 2-layer net (Adam, cosine schedule, clipping, EMA) inside tidy keep the tensor count constant and fit the data', async (t) => {
  t.timeout(120_000); // a few seconds normally; generous for loaded CI machines
  manualSeed(0);
  const model = new Sequential(new Linear(4, 16), new ReLU(), new Linear(16, 3));
  const { x, y } = data();
  const criterion = new CrossEntropyLoss();
  const opt = new Adam(model.parameters(), { lr: 0.01 });
  const schedule = new CosineAnnealingLR(opt, { tMax: 200 });
  const ema = new EMA(model.parameters(), { decay: 0.9 });
  const losses: number[] = [];
  let after1 = 0;
  for (let step = 0; step < 200; step++) {
    tidy(() => {
      opt.zeroGrad();
      const loss = criterion.call(model.call(x), y);
      loss.backward();
      clipGradNorm(model.parameters(), 5);
      opt.step();
      ema.update();
      losses.push(loss.item());
    });
    schedule.step();
    if (step % 25 === 0) await new Promise(setImmediate); // let the runner hear from this worker
    if (step === 0) after1 = memory().numTensors;
    else t.is(memory().numTensors, after1, `tensor count changed at step ${step + 1}`);
    if (memory().numTensors !== after1) break;
  }
  t.true(losses[199]! < 0.25 * losses[0]!, `loss ${losses[0]} → ${losses[199]}`);
  const accuracy = tidy(() => model.call(x).argmax(1).equal(y).cast('float32').mean().item());
  t.true(accuracy > 0.9, `accuracy ${accuracy}`);
  model.zeroGrad();
  opt.disposeState();
  ema.dispose();
  model.dispose();
  x.dispose();
  y.dispose();
});
