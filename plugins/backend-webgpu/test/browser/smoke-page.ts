// Runs in headless Chromium: trains the notes' 2-layer net for a few SGD steps on WebGPU and
// publishes the losses for the test to check.
import * as fv from '@fovea/core';
import { registration } from '../../src/index.js';

interface SmokeResult {
  backend: string;
  adapter: string;
  losses: number[];
  error?: string;
}

async function train(): Promise<SmokeResult> {
  if (!registration.registered) return { backend: 'none', adapter: '', losses: [], error: registration.reason };
  await fv.setBackend('webgpu');
  fv.manualSeed(7);
  const x = fv.randn([32, 6]);
  const y = fv.randint(0, 3, [32]);
  const params = [fv.randn([24, 6], { std: 0.5 }), fv.zeros([24]), fv.randn([3, 24], { std: 0.5 }), fv.zeros([3])];
  params.forEach((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params as [fv.Tensor, fv.Tensor, fv.Tensor, fv.Tensor];
  const losses: number[] = [];
  for (let step = 0; step < 8; step++) {
    const loss = fv.tidy(() => {
      const l = fv.crossEntropy(fv.linear(fv.relu(fv.linear(x, w1, b1)), w2, b2), y);
      const grads = fv.grad(l, params);
      fv.noGrad(() => params.forEach((p, i) => p.assign(fv.sub(p, fv.mul(grads[i]!, 0.5)))));
      return fv.keep(l.detach());
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  return { backend: fv.getBackendName(), adapter: registration.adapter, losses };
}

const done = train().catch((err: Error) => ({ backend: 'error', adapter: '', losses: [], error: `${err.name}: ${err.message}` }));
(globalThis as { smoke?: Promise<SmokeResult> }).smoke = done;
