// A few seeded SGD steps of a tiny CNN on the active backend. The browser page and the Node side
// of the test both run this, so their values can be compared number for number.
import * as fv from '@fovea/core';

export interface TrainResult {
  losses: number[];
  /** Every parameter after the last step, flattened and concatenated. */
  weights: number[];
}

export async function trainTinyCnn(steps = 4): Promise<TrainResult> {
  fv.manualSeed(11);
  const x = fv.randn([6, 2, 8, 8]);
  const labels = fv.randint(0, 3, [6]);
  const params = [fv.randn([4, 2, 3, 3], { std: 0.3 }), fv.zeros([4]), fv.randn([3, 4 * 4 * 4], { std: 0.1 })];
  params.forEach((p) => p.requiresGrad_());
  const [w1, b1, w2] = params as [fv.Tensor, fv.Tensor, fv.Tensor];
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = fv.tidy(() => {
      const h = fv.maxPool2d(fv.relu(fv.conv2d(x, w1, b1, { padding: 1 })), 2);
      const l = fv.crossEntropy(fv.linear(fv.flatten(h, 1), w2), labels);
      const grads = fv.grad(l, params);
      fv.noGrad(() => params.forEach((p, i) => p.assign(fv.sub(p, fv.mul(grads[i]!, 0.1)))));
      return fv.keep(l.detach());
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
  }
  const weights = await Promise.all(params.map(async (p) => [...(await p.data())]));
  fv.dispose([x, labels, ...params]);
  return { losses, weights: weights.flat() };
}
