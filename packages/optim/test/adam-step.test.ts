import '@fovea/backend-js';
import test from 'ava';
import * as core from '@fovea/core';
import { manualSeed, randn, zeros } from '@fovea/core';
import { adamStep, type AdamStepAttrs } from '../src/index.js';

const attrs: AdamStepAttrs = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, step: 1 };

test('adamStep: the first step moves each weight by about lr against its gradient, and returns the moments', (t) => {
  // Seeded: the bound is a few float32 ulps of weights near ±3, so an unlucky draw could cross it.
  manualSeed(0);
  const p = randn([5]);
  const g = randn([5]);
  const [next, m, v] = adamStep([p, g, zeros([5]), zeros([5])], attrs);
  const [pv, gv, nv] = [p.dataSync(), g.dataSync(), next!.dataSync()];
  pv.forEach((w, i) => t.true(Math.abs(nv[i]! - (w - 0.01 * Math.sign(gv[i]!))) < 1e-6));
  t.deepEqual(Array.from(m!.dataSync()), Array.from(gv, (x) => Math.fround(Math.fround(x * Math.fround(0.1)))));
  t.is(v!.shape[0], 5);
});

test('adamStep: AMSGrad adds the running maximum as a fifth input and a fourth output', (t) => {
  const outs = adamStep([randn([3]), randn([3]), zeros([3]), zeros([3]), zeros([3])], { ...attrs, amsgrad: true });
  t.is(outs.length, 4);
});

test("adamStep is core's op, re-exported", (t) => {
  t.is(adamStep, core.adamStep);
});
