import '@fovea/backend-js';
import test from 'ava';
import { tensor, ValueError } from '@fovea/core';
import {
  CosineAnnealingLR, ExponentialLR, InverseTimeDecay, LinearWarmup, ReduceLROnPlateau, SGD, StepLR, type LRScheduler,
} from '../src/index.js';

/** An optimizer with two groups, base rates 1 and 0.1. */
const optimizer = () => new SGD([{ params: [tensor([1]).requiresGrad_()] }, { params: [tensor([1]).requiresGrad_()], lr: 0.1 }], { lr: 1 });

/** Group 0's rate at epochs 0..n. */
function rates(scheduler: LRScheduler, n: number): number[] {
  const out = [scheduler.getLastLr()[0]!];
  for (let i = 0; i < n; i++) {
    scheduler.step();
    out.push(scheduler.getLastLr()[0]!);
  }
  return out.map((v) => +v.toFixed(6));
}

test('closed-form schedules: step, exponential, 1/t and cosine', (t) => {
  t.deepEqual(rates(new StepLR(optimizer(), { stepSize: 2, gamma: 0.5 }), 5), [1, 1, 0.5, 0.5, 0.25, 0.25]);
  t.deepEqual(rates(new ExponentialLR(optimizer(), { gamma: 0.5 }), 3), [1, 0.5, 0.25, 0.125]);
  t.deepEqual(rates(new InverseTimeDecay(optimizer(), { decayRate: 1 }), 3), [1, 0.5, +(1 / 3).toFixed(6), 0.25]);
  t.deepEqual(rates(new InverseTimeDecay(optimizer(), { decayRate: 1, decaySteps: 2, staircase: true }), 3), [1, 1, 0.5, 0.5]);
  t.deepEqual(rates(new CosineAnnealingLR(optimizer(), { tMax: 4, etaMin: 0.2 }), 4), [1, +(0.2 + 0.4 * (1 + Math.SQRT1_2)).toFixed(6), 0.6, +(0.2 + 0.4 * (1 - Math.SQRT1_2)).toFixed(6), 0.2]);
  t.throws(() => new StepLR(optimizer(), { stepSize: 0 }), { instanceOf: ValueError });
});

test('each group is scheduled from its own base rate', (t) => {
  const opt = optimizer();
  const s = new StepLR(opt, { stepSize: 1, gamma: 0.5 });
  s.step();
  t.deepEqual(s.getLastLr(), [0.5, 0.05]);
});

test('linear warm-up ramps to the base rate, then hands over to another schedule', (t) => {
  const opt = optimizer();
  const warm = new LinearWarmup(opt, { warmupSteps: 4, startFactor: 0, after: new ExponentialLR(opt, { gamma: 0.5 }) });
  t.deepEqual(rates(warm, 6), [0, 0.25, 0.5, 0.75, 1, 0.5, 0.25]);
  t.deepEqual(rates(new LinearWarmup(optimizer(), { warmupSteps: 2 }), 3).map((v) => +v.toFixed(4)), [0.3333, 0.6667, 1, 1]);
});

test('a schedule resumes from its state dict', (t) => {
  const a = new CosineAnnealingLR(optimizer(), { tMax: 10 });
  rates(a, 3);
  const b = new CosineAnnealingLR(optimizer(), { tMax: 10 });
  b.loadStateDict(JSON.parse(JSON.stringify(a.stateDict())));
  t.deepEqual(b.getLastLr(), a.getLastLr());
  t.deepEqual(rates(b, 2), rates(a, 2));
});

test('ReduceLROnPlateau cuts the rate after `patience` epochs without improvement, then cools down', (t) => {
  const opt = optimizer();
  const plateau = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2, cooldown: 1, minLr: [0.3, 0] });
  const seen = [1, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9].map((loss) => {
    plateau.step(loss);
    return plateau.getLastLr()[0];
  });
  // Bad epochs 1, 2, 3 → cut at the 3rd; one cooldown epoch; 3 more bad → cut, floored at minLr.
  t.deepEqual(seen, [1, 1, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.3]);
  t.is(plateau.getLastLr()[1], 0.1 * 0.25);
  t.is(plateau.best, 0.9);
});

test('ReduceLROnPlateau in max mode with an absolute threshold, and its state dict', (t) => {
  const plateau = new ReduceLROnPlateau(optimizer(), { mode: 'max', patience: 0, threshold: 0.05, thresholdMode: 'abs' });
  plateau.step(0.8);
  plateau.step(0.84); // not better by 0.05: a bad epoch, and patience 0 cuts at once
  t.is(plateau.getLastLr()[0], 0.1);
  const saved = JSON.parse(JSON.stringify(plateau.stateDict()));
  t.deepEqual(saved, { best: 0.8, numBadEpochs: 0, cooldownCounter: 0, lastEpoch: 2 });
  const fresh = new ReduceLROnPlateau(optimizer(), { mode: 'max' });
  t.is(fresh.stateDict().best, null);
  fresh.loadStateDict(saved);
  t.is(fresh.best, 0.8);
  t.throws(() => plateau.step(Number.NaN), { instanceOf: ValueError });
  t.throws(() => new ReduceLROnPlateau(optimizer(), { factor: 1 }), { instanceOf: ValueError });
});
