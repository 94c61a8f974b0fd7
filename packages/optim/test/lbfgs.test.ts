import '@fovea/backend-js';
import test from 'ava';
import { tensor, ValueError } from '@fovea/core';
import { LBFGS } from '../src/index.js';

/** Rosenbrock's banana, minimum 0 at (1, 1): a classic test of curvature handling. */
function rosenbrock() {
  const w = tensor([-1.2, 1]).requiresGrad_();
  const loss = () => {
    const [x, y] = [w.slice([0], [1]), w.slice([1], [2])];
    return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)).sum();
  };
  return { w, loss };
}

test('L-BFGS with strong-Wolfe line search solves Rosenbrock; its memory saves as JSON and resumes', async (t) => {
  const { w, loss } = rosenbrock();
  const opt = new LBFGS([w], { lineSearch: 'strongWolfe', maxIter: 15, historySize: 5 });
  const closure = () => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  };
  t.is(+(await opt.step(closure)).toFixed(2), 24.2);
  const saved = JSON.parse(JSON.stringify(opt.stateDict()));
  t.true(saved.state[0].nIter > 0 && saved.state[0].s.length <= 5);
  const resumed = new LBFGS([w], { lineSearch: 'strongWolfe', maxIter: 15, historySize: 5 });
  resumed.loadStateDict(saved);
  for (let i = 0; i < 5; i++) await resumed.step(closure);
  t.true(loss().item() < 1e-6, `loss ${loss().item()}`);
  t.deepEqual([...w.dataSync()].map((v) => +v.toFixed(3)), [1, 1]);
});

test('L-BFGS with fixed steps converges on a quadratic, and a closure may return a number', async (t) => {
  const w = tensor([3, -4]).requiresGrad_();
  const opt = new LBFGS([w], { lr: 0.5, maxIter: 50 });
  await opt.step(() => {
    opt.zeroGrad();
    const l = w.square().sum();
    l.backward();
    return l.item();
  });
  t.true(Math.hypot(...w.dataSync()) < 1e-4);
  t.throws(() => new LBFGS([{ params: [w] }, { params: [tensor([1]).requiresGrad_()] }]), { instanceOf: ValueError, message: /single/ });
  t.throws(() => new LBFGS([w], { lineSearch: 'wolfe' as never }), { instanceOf: ValueError });
});
