import '@fovea/backend-js';
import test from 'ava';
import { Generator, gradCheck, manualSeed, randn, ShapeError, tensor, ValueError, zeros, type Tensor } from '@fovea/core';
import {
  BatchNorm1d, BatchNorm2d, Conv2d, Dropout, ELU, Embedding, Flatten, Identity, Linear, MaxPool2d, Maxout, PReLU, Sequential, Tanh, init,
  type Module,
} from '../src/index.js';
import { parameterGradErrors } from './param-gradcheck.js';

const values = (t: Tensor) => [...t.dataSync()];
const std = (v: number[]) => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / v.length);
};

test('Dropout zeroes about p of its input in training, scales the rest, and passes through in eval', (t) => {
  manualSeed(3);
  const drop = new Dropout(0.25);
  const y = values(drop.call(zeros([4000]).add(1)));
  const dropped = y.filter((v) => v === 0).length / y.length;
  t.true(Math.abs(dropped - 0.25) < 0.03, `dropped ${dropped}`);
  t.true(y.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6));
  drop.eval();
  t.deepEqual(values(drop.call(tensor([1, 2, 3]))), [1, 2, 3]);
  t.throws(() => new Dropout(1.5), { instanceOf: ValueError });
});

test('Dropout with its own generator is reproducible, and its gradient checks', async (t) => {
  const gen = new Generator(9);
  const drop = new Dropout(0.5, gen);
  const x = randn([3, 4]);
  const report = await gradCheck((v) => {
    gen.manualSeed(9);
    return drop.call(v);
  }, [x]);
  t.true(report.ok, `rel error ${report.maxRelError}`);
});

test('BatchNorm counts batches, updates running statistics only in training, and uses them in eval', (t) => {
  const bn = new BatchNorm2d(2, { momentum: 0.5 });
  const x = tensor([1, 3, 5, 7, 2, 2, 2, 2], [1, 2, 2, 2]);
  bn.call(x);
  bn.call(x);
  t.is(bn.numBatchesTracked!.item(), 2);
  // Channel 0 has mean 4 and unbiased variance 20/3: two steps of momentum 0.5 from (0, 1).
  t.deepEqual(values(bn.runningMean!).map((v) => +v.toFixed(5)), [3, 1.5]);
  t.deepEqual(values(bn.runningVar!).map((v) => +v.toFixed(5)), [+(0.25 + 0.75 * 20 / 3).toFixed(5), 0.25]);
  bn.eval();
  const y = values(bn.call(x));
  t.is(bn.numBatchesTracked!.item(), 2);
  t.true(Math.abs(y[0]! - (1 - 3) / Math.sqrt(0.25 + 5 + 1e-5)) < 1e-5);
  t.throws(() => bn.call(zeros([2, 3, 2, 2])), { instanceOf: ShapeError, message: /BatchNorm2d\(2\)/ });
  t.throws(() => new BatchNorm1d(2).call(zeros([2, 2, 2, 2])), { instanceOf: ShapeError });
  t.deepEqual(new BatchNorm1d(3, { affine: false, trackRunningStats: false }).stateDict().size, 0);
});

test('BatchNorm1d over [N, C, L] and a small CNN pass gradient checks', async (t) => {
  manualSeed(5);
  const bn = new BatchNorm1d(2);
  t.true((await gradCheck((x) => bn.call(x), [randn([3, 2, 4])])).ok);
  const cnn = new Sequential(new Conv2d(2, 3, 3, { padding: 1, stride: 2 }), new BatchNorm2d(3), new Tanh(), new MaxPool2d(2), new Flatten(), new Linear(3, 2));
  const report = await gradCheck((x) => cnn.call(x), [randn([2, 2, 4, 4])]);
  t.true(report.ok, `rel error ${report.maxRelError}`);
});

test('Maxout takes the max of its linear pieces per output', async (t) => {
  const m = new Maxout(2, 2, { pieces: 3 });
  m.loadStateDict({ weight: tensor([[1, 0], [0, 1], [1, 1], [-1, 0], [0, -1], [2, 0]]), bias: tensor([0, 0, -5, 0, 0, 1]) });
  t.deepEqual(values(m.call(tensor([[2, 3]]))), [3, 5]);
  t.deepEqual(m.weight.shape, [6, 2]);
  t.true((await gradCheck((x) => m.call(x), [randn([4, 2])])).ok);
});

test('Flatten, Identity and Embedding shapes', (t) => {
  t.deepEqual(new Flatten().call(zeros([2, 3, 4, 5])).shape, [2, 60]);
  t.deepEqual(new Flatten(0, 1).call(zeros([2, 3, 4])).shape, [6, 4]);
  const x = randn([2, 2]);
  t.is(new Identity().call(x), x);
  const emb = new Embedding(5, 3);
  t.deepEqual(emb.call(tensor(new Int32Array([0, 4, 4, 1]), [2, 2])).shape, [2, 2, 3]);
  t.throws(() => new Embedding(0, 3), { instanceOf: ValueError });
});

test('fresh Linear and Conv2d parameters follow PyTorch defaults: uniform on ±1/√fanIn', (t) => {
  manualSeed(0);
  const fc = new Linear(400, 50);
  const bound = 1 / Math.sqrt(400);
  const w = values(fc.weight);
  t.true(w.every((v) => Math.abs(v) <= bound));
  t.true(Math.abs(std(w) - bound / Math.sqrt(3)) < 0.03 * bound);
  t.true(values(fc.bias!).every((v) => Math.abs(v) <= bound));
  const conv = new Conv2d(4, 8, [3, 2], { groups: 2 });
  t.deepEqual(conv.weight.shape, [8, 2, 3, 2]);
  t.true(values(conv.weight).every((v) => Math.abs(v) <= 1 / Math.sqrt(12)));
  t.is(new Linear(3, 2, { bias: false }).bias, null);
  t.throws(() => new Conv2d(3, 4, 3, { groups: 2 }), { instanceOf: ValueError, message: /groups/ });
});

test('initialisers: Xavier uses 2/(n_in+n_out), Kaiming 2/n; uniform, normal and constant fill in place', (t) => {
  manualSeed(1);
  const w = zeros([300, 200]);
  t.is(init.xavierNormal(w), w);
  t.true(Math.abs(std(values(w)) - Math.sqrt(2 / 500)) < 0.02 * Math.sqrt(2 / 500));
  init.xavierUniform(w);
  t.true(values(w).every((v) => Math.abs(v) <= Math.sqrt(6 / 500)));
  init.kaimingNormal(w);
  t.true(Math.abs(std(values(w)) - Math.sqrt(2 / 200)) < 0.02 * Math.sqrt(2 / 200));
  init.kaimingUniform(w, { mode: 'fanOut', nonlinearity: 'relu' });
  t.true(values(w).every((v) => Math.abs(v) <= Math.sqrt(6 / 300)));
  init.uniform(w, 2, 3);
  t.true(values(w).every((v) => v >= 2 && v < 3));
  init.normal(w, 5, 0.1);
  t.true(Math.abs(values(w).reduce((a, b) => a + b) / w.size - 5) < 0.01);
  init.constant(w, 0.5);
  t.true(values(w).every((v) => v === 0.5));
  init.zeros(w);
  t.true(values(w).every((v) => v === 0));
  t.deepEqual(init.fans(zeros([8, 4, 3, 3])), { fanIn: 36, fanOut: 72 });
  t.is(init.calculateGain('tanh'), 5 / 3);
  t.is(init.calculateGain('leakyRelu', 0), Math.SQRT2);
  t.throws(() => init.fans(zeros([3])), { instanceOf: ValueError });
});

test('initialisers draw from a given generator reproducibly', (t) => {
  const a = init.kaimingNormal(zeros([4, 4]), { generator: new Generator(7) });
  const b = init.kaimingNormal(zeros([4, 4]), { generator: new Generator(7) });
  t.deepEqual(values(a), values(b));
});

test('parameter gradients of every layer with parameters agree with finite differences', (t) => {
  manualSeed(11);
  const cases: [string, Module, Tensor[]][] = [
    ['Linear without bias', new Linear(3, 2, { bias: false }), [randn([4, 3])]],
    ['Maxout', new Maxout(3, 2, { pieces: 3 }), [randn([4, 3])]],
    ['Conv2d, groups 2, dilation 2, stride 2', new Conv2d(4, 2, 2, { groups: 2, dilation: 2, stride: 2, padding: 1 }), [randn([2, 4, 5, 5])]],
    ['BatchNorm2d (training)', new BatchNorm2d(3), [randn([2, 3, 2, 2])]],
    ['PReLU, one shared slope', new PReLU(), [randn([3, 4])]],
    ['Embedding', new Embedding(5, 3), [tensor(new Int32Array([0, 2, 2, 4]), [2, 2])]],
    ['a small MLP', new Sequential(new Linear(3, 4), new ELU(), new Linear(4, 2)), [randn([5, 3])]],
  ];
  for (const [name, layer, inputs] of cases) {
    for (const [param, error] of Object.entries(parameterGradErrors(layer, inputs))) {
      t.true(error < 1e-2, `${name} ${param}: relative error ${error.toExponential(2)}`);
    }
  }
});
