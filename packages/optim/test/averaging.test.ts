import '@fovea/backend-js';
import test from 'ava';
import { DTypeError, tensor, ValueError, zeros, type Tensor } from '@fovea/core';
import { clipGradNorm, clipGradValue, EMA } from '../src/index.js';

const values = (t: Tensor) => [...t.dataSync()].map((v) => +v.toFixed(5));

test('EMA: the first update copies, later ones blend with the decay', (t) => {
  const w = tensor([0, 10]);
  const ema = new EMA([w], { decay: 0.9 });
  w.assign(tensor([1, 20]));
  ema.update();
  t.deepEqual(values(ema.averages[0]!), [1, 20]);
  w.assign(tensor([2, 30]));
  ema.update();
  t.deepEqual(values(ema.averages[0]!), [1.1, 21]);
  t.throws(() => new EMA([w], { decay: 2 }), { instanceOf: ValueError });
  t.throws(() => new EMA([zeros([2], { dtype: 'int32' })]), { instanceOf: DTypeError });
});

test("Polyak averaging is the plain mean of the iterates; swap() exchanges live and averaged values", (t) => {
  const w = tensor([0]);
  const ema = new EMA([w], { decay: 'average' });
  for (const v of [3, 6, 12]) {
    w.assign(tensor([v]));
    ema.update();
  }
  t.deepEqual(values(ema.averages[0]!), [7]);
  ema.swap();
  t.deepEqual([values(w), values(ema.averages[0]!)], [[7], [12]]);
  ema.swap();
  t.deepEqual(values(w), [12]);
  const saved = ema.stateDict();
  const other = new EMA([tensor([0])], { decay: 'average' });
  other.loadStateDict(saved);
  t.is(other.numUpdates, 3);
  t.deepEqual(values(other.averages[0]!), [7]);
  other.copyTo();
  t.deepEqual(values(other.params[0]!), [7]);
  t.throws(() => other.loadStateDict({ ...saved, averages: [zeros([2])] }), { instanceOf: ValueError });
});

function withGrads(...grads: number[][]): Tensor[] {
  return grads.map((g) => {
    const p = zeros([g.length]).requiresGrad_();
    p.grad = tensor(g);
    return p;
  });
}

test('clipGradNorm rescales all gradients together to the max norm and returns the norm before', (t) => {
  const params = withGrads([3, 0], [0, 4]);
  const norm = clipGradNorm(params, 1);
  t.is(+norm.item().toFixed(5), 5);
  t.deepEqual(params.map((p) => values(p.grad!)), [[0.6, 0], [0, 0.8]]);
  const small = withGrads([0.3, 0.4]);
  clipGradNorm(small, 1);
  t.deepEqual(values(small[0]!.grad!), [0.3, 0.4]);
  const inf = withGrads([1, -6], [2]);
  t.is(clipGradNorm(inf, 3, Infinity).item(), 6);
  t.deepEqual(values(inf[0]!.grad!), [0.5, -3]);
  t.is(clipGradNorm(withGrads([1, -2], [3]), 100, 1).item(), 6);
  t.is(clipGradNorm([zeros([1])], 1).item(), 0);
  t.throws(() => clipGradNorm(params, -1), { instanceOf: ValueError });
});

test('clipGradValue clamps each element', (t) => {
  const params = withGrads([-3, 0.2, 7]);
  clipGradValue(params, 1);
  t.deepEqual(values(params[0]!.grad!), [-1, 0.2, 1]);
});
