// The CLI's training step on wasm against js: the fused Adam kernel and a few steps of the CNN.
import test from 'ava';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import { CrossEntropyLoss } from '@fovea/nn';
import { Adam, AdamW } from '@fovea/optim';
import { buildModel } from '../src/models.js';

/** Runs `f` on `backend` from seed 1 and returns its outputs' values. */
async function on(backend: string, f: () => fv.Tensor[]): Promise<Float32Array[]> {
  await fv.setBackend(backend);
  fv.manualSeed(1);
  const outs = fv.tidy(f);
  const values = outs.map((o) => o.dataSync() as Float32Array);
  fv.dispose(outs);
  return values;
}

const variants: [string, (p: fv.Tensor[]) => Adam][] = [
  ['Adam', (p) => new Adam(p, { lr: 0.01 })],
  ['Adam with L2 weight decay and AMSGrad', (p) => new Adam(p, { lr: 0.01, weightDecay: 0.1, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.01 })],
];

for (const [name, make] of variants) {
  test.serial(`${name}: the wasm adamStep kernel matches the op's decomposition (js) bit for bit`, async (t) => {
    const steps = () => {
      const w = fv.randn([7, 37]).requiresGrad_();
      const optimizer = make([w]);
      for (let i = 0; i < 4; i++) {
        optimizer.zeroGrad();
        fv.tidy(() => fv.sum(fv.mul(fv.mul(w, w), w)).backward());
        optimizer.step();
      }
      optimizer.zeroGrad();
      optimizer.disposeState();
      return [w];
    };
    const [expected] = await on('js', steps);
    const [got] = await on('wasm', steps);
    t.deepEqual(got, expected);
  });
}

test.serial('three Adam steps of the CLI CNN give the same losses and weights on wasm as on js', async (t) => {
  const train = () => {
    const model = buildModel('cnn');
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
    const x = fv.randn([8, 1, 28, 28]);
    const y = fv.randint(0, 10, [8]);
    const losses = [0, 1, 2].map(() =>
      fv.tidy(() => {
        optimizer.zeroGrad();
        const loss = new CrossEntropyLoss().call(model.call(x), y);
        loss.backward();
        optimizer.step();
        return loss.detach();
      }),
    );
    optimizer.zeroGrad();
    optimizer.disposeState();
    return [...losses, ...model.parameters()];
  };
  const expected = await on('js', train);
  const got = await on('wasm', train);
  expected.forEach((e, i) => {
    const worst = Math.max(...e.map((v, j) => Math.abs(got[i]![j]! - v) / Math.max(1, Math.abs(v))));
    t.true(worst <= 1e-4, `output ${i}: largest difference ${worst}`);
  });
  t.is(fv.memory().backends.wasm?.numTensors ?? 0, 0);
});
