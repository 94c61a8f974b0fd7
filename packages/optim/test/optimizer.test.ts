import '@fovea/backend-js';
import test from 'ava';
import { ShapeError, sum, tensor, ValueError, type Tensor } from '@fovea/core';
import { Adam, RMSprop, SGD, type OptimizerStateDict } from '../src/index.js';

const values = (t: Tensor) => [...t.dataSync()];
const close = (a: number[], b: number[], tol = 1e-6) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= tol);

/** Gradient of sum(w²)/2 is w itself: easy to follow by hand. */
function descend(opt: { zeroGrad(): void; step(): unknown }, params: Tensor[], steps: number): void {
  for (let i = 0; i < steps; i++) {
    opt.zeroGrad();
    params.map((p) => sum(p.mul(p)).mul(0.5)).reduce((a, b) => a.add(b)).backward();
    opt.step();
  }
}

test('parameter groups carry their own learning rates (fine-tuning at 1/10 LR)', (t) => {
  const backbone = tensor([1, 2]).requiresGrad_();
  const head = tensor([4]).requiresGrad_();
  const opt = new SGD([{ params: [backbone], lr: 0.1 }, { params: [head] }], { lr: 1, momentum: 0 });
  t.deepEqual(opt.paramGroups.map((g) => g.lr), [0.1, 1]);
  t.is(opt.paramGroups[0]!.momentum, 0);
  descend(opt, [backbone, head], 1);
  t.true(close(values(backbone), [0.9, 1.8]));
  t.deepEqual(values(head), [0]);
});

test('parameters without a gradient (frozen) are left alone', (t) => {
  const a = tensor([1]).requiresGrad_();
  const frozen = tensor([5]).requiresGrad_();
  const opt = new Adam([a, frozen], { lr: 0.1 });
  descend(opt, [a], 2);
  t.deepEqual(values(frozen), [5]);
  t.false(opt.state.has(frozen));
  t.is(opt.state.get(a)!.step, 2);
});

test('bad hyperparameters and parameter lists are typed errors', (t) => {
  const p = tensor([1]).requiresGrad_();
  t.throws(() => new SGD([p], { lr: -1 }), { instanceOf: ValueError, message: /lr/ });
  t.throws(() => new SGD([p], { lr: 0.1, nesterov: true }), { instanceOf: ValueError, message: /Nesterov/ });
  t.throws(() => new SGD([p, p], { lr: 0.1 }), { instanceOf: ValueError, message: /more than one group/ });
  t.throws(() => new SGD([], { lr: 0.1 }), { instanceOf: ValueError, message: /empty/ });
  t.throws(() => new Adam([p], { betas: [0.9, 1] }), { instanceOf: ValueError, message: /beta2/ });
  t.throws(() => new RMSprop([p], { alpha: Number.NaN }), { instanceOf: ValueError, message: /alpha/ });
});

test('step(closure) evaluates the closure with gradients on and returns its loss', (t) => {
  const w = tensor([3]).requiresGrad_();
  const opt = new SGD([w], { lr: 0.5 });
  const loss = opt.step(() => {
    opt.zeroGrad();
    const l = w.mul(w).sum();
    l.backward();
    return l;
  }) as Tensor;
  t.is(loss.item(), 9);
  t.deepEqual(values(w), [0]);
});

test('AMSGrad normalises by the largest second moment seen (checked against a scalar reference)', (t) => {
  const [lr, b1, b2, eps] = [0.3, 0.5, 0.5, 1e-8];
  let [w, m, v, vMax] = [1, 0, 0, 0];
  const expected: number[] = [];
  for (let step = 1; step <= 4; step++) {
    m = b1 * m + (1 - b1) * w;
    v = b2 * v + (1 - b2) * w * w;
    vMax = Math.max(vMax, v);
    w -= ((lr / (1 - b1 ** step)) * m) / (Math.sqrt(vMax) / Math.sqrt(1 - b2 ** step) + eps);
    expected.push(w);
  }
  const p = tensor([1]).requiresGrad_();
  const opt = new Adam([p], { lr, betas: [b1, b2], eps, amsgrad: true });
  const got = expected.map(() => {
    descend(opt, [p], 1);
    return values(p)[0]!;
  });
  t.true(close(got, expected, 1e-5), `${got} vs ${expected}`);
});

test('centred RMSprop divides by the running standard deviation', (t) => {
  const w = tensor([2]).requiresGrad_();
  const alpha = 0.9;
  descend(new RMSprop([w], { lr: 0.01, alpha, centered: true, eps: 0 }), [w], 1);
  // After one step: E[g²] − E[g]² = (1−α)g² − (1−α)²g² = α(1−α)g².
  t.true(Math.abs(values(w)[0]! - (2 - 0.01 / Math.sqrt(alpha * (1 - alpha)))) < 1e-5);
});

test('state dicts are plain data plus tensors, and resuming continues the same trajectory', (t) => {
  const make = () => tensor([1, -2, 0.5]).requiresGrad_();
  const a = make();
  const opt = new Adam([a], { lr: 0.05, amsgrad: true });
  descend(opt, [a], 3);
  const saved = opt.stateDict();
  t.deepEqual(Object.keys(saved.state), ['0']);
  t.deepEqual(saved.paramGroups[0], { lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: true, params: [0] });
  t.is(JSON.parse(JSON.stringify(saved.paramGroups))[0].lr, 0.05);

  const b = tensor(values(a)).requiresGrad_();
  const resumed = new Adam([b], { lr: 1 });
  resumed.loadStateDict(saved);
  t.is(resumed.paramGroups[0]!.lr, 0.05);
  descend(opt, [a], 2);
  descend(resumed, [b], 2);
  t.deepEqual(values(b), values(a));
  t.is(resumed.state.get(b)!.step, 5);
});

test('loadStateDict rejects state for other parameters and changes nothing', (t) => {
  const p = tensor([1, 2]).requiresGrad_();
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  descend(opt, [p], 1);
  const good = opt.stateDict();
  const buffer = values(opt.state.get(p)!.momentumBuffer as Tensor);
  const wrongShape: OptimizerStateDict = { ...good, state: { 0: { momentumBuffer: tensor([1, 2, 3]) } } };
  t.throws(() => opt.loadStateDict(wrongShape), { instanceOf: ShapeError, message: /momentumBuffer/ });
  const wrongGroups: OptimizerStateDict = { ...good, paramGroups: [...good.paramGroups, { lr: 1, params: [1] }] };
  t.throws(() => opt.loadStateDict(wrongGroups), { instanceOf: ValueError, message: /groups/ });
  const badLr: OptimizerStateDict = { ...good, paramGroups: [{ ...good.paramGroups[0]!, lr: -1 }] };
  t.throws(() => opt.loadStateDict(badLr), { instanceOf: ValueError, message: /lr/ });
  t.deepEqual(values(opt.state.get(p)!.momentumBuffer as Tensor), buffer);
  t.is(opt.paramGroups[0]!.lr, 0.1);
});
