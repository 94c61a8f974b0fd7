// Shapes large enough to span many GEMM tiles and thread tasks, checked against the js backend.
import test from 'ava';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { registerWasmBackend } from '../src/index.js';

registerWasmBackend('wasm-2t', { threads: 2 });

function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** Runs `f` on fresh seeded inputs on a backend; returns every output's values. */
async function on(backend: string, f: () => fv.Tensor[]): Promise<Float32Array[]> {
  await fv.setBackend(backend);
  fv.manualSeed(1);
  const outs = fv.tidy(f);
  const values = await Promise.all(outs.map(async (o) => (await o.data()) as Float32Array));
  fv.dispose(outs);
  return values;
}

async function agree(t: import('ava').ExecutionContext, f: () => fv.Tensor[], tolerance = 1e-4): Promise<void> {
  const ref = await on('js', f);
  const got = await on('wasm-2t', f);
  ref.forEach((r, i) => t.true(relativeError(got[i]!, r) < tolerance, `output ${i}: relative error ${relativeError(got[i]!, r)}`));
  t.is(fv.memory().backends['wasm-2t']?.numTensors ?? 0, 0);
}

test.serial('batched and transposed matmul over many tiles', (t) =>
  agree(t, () => {
    const a = fv.randn([3, 300, 270]);
    const b = fv.randn([3, 260, 270]);
    return [fv.matmul(a, fv.transpose(b, 1, 2)), fv.matmul(fv.transpose(a, 1, 2), fv.randn([3, 300, 70]))];
  }));

/** A conv layer's output and both gradients. */
function convCase(x: number[], w: number[], options: fv.Conv2dOptions): () => fv.Tensor[] {
  return () => {
    const xt = fv.randn(x).requiresGrad_();
    const wt = fv.randn(w).requiresGrad_();
    const y = fv.conv2d(xt, wt, null, options);
    fv.sum(fv.mul(y, fv.randn(y.shape))).backward();
    return [y, xt.grad!.detach(), wt.grad!.detach()];
  };
}

test.serial('conv 3×3 padded, its input and weight gradients', (t) => agree(t, convCase([4, 16, 20, 20], [32, 16, 3, 3], { padding: 1 })));
test.serial('conv strided, dilated and grouped', (t) => agree(t, convCase([2, 8, 17, 15], [12, 4, 3, 3], { stride: 2, padding: 2, dilation: 2, groups: 2 })));
test.serial('conv 1×1 (the pointwise path)', (t) => agree(t, convCase([2, 24, 9, 11], [40, 24, 1, 1], {})));
test.serial('depthwise conv with a channel multiplier', (t) => agree(t, convCase([2, 6, 13, 13], [12, 1, 5, 5], { stride: 2, padding: 2, groups: 6 })));

test.serial('pooling forward and backward', (t) =>
  agree(t, () => {
    const x = fv.randn([2, 5, 13, 11]).requiresGrad_();
    const y = fv.add(fv.maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), fv.avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }));
    fv.sum(fv.mul(y, fv.randn(y.shape))).backward();
    return [y, x.grad!.detach()];
  }));

test.serial('three SGD steps of a small CNN give the same losses and weights', (t) =>
  agree(t, () => {
    const x = fv.randn([8, 3, 12, 12]);
    const labels = fv.randint(0, 5, [8]);
    const w1 = fv.mul(fv.randn([8, 3, 3, 3]), 0.3).requiresGrad_();
    const w2 = fv.mul(fv.randn([5, 8 * 6 * 6]), 0.05).requiresGrad_();
    const losses: fv.Tensor[] = [];
    for (let step = 0; step < 3; step++) {
      const h = fv.maxPool2d(fv.relu(fv.conv2d(x, w1, null, { padding: 1 })), 2);
      const loss = fv.crossEntropy(fv.linear(fv.flatten(h, 1), w2), labels);
      loss.backward();
      fv.noGrad(() => {
        w1.assign(fv.sub(w1, fv.mul(w1.grad!, 0.1)));
        w2.assign(fv.sub(w2, fv.mul(w2.grad!, 0.1)));
      });
      fv.zeroGrad([w1, w2]);
      losses.push(loss.detach());
    }
    return [fv.stack(losses), w1.detach(), w2.detach()];
  }));
