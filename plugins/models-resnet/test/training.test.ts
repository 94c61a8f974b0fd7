import test from 'ava';
import '@fovea/backend-js';
import { Generator, mean, models, noGrad, randn, tidy, type Tensor } from '@fovea/core';
import { StateDictError } from '@fovea/nn';
import { ResNet } from '../src/index.js';

const small = (options: ConstructorParameters<typeof ResNet>[2] = {}) => new ResNet('resnet18-narrow', { block: 'basic', layers: [2, 2, 2, 2], basePlanes: 16 }, { numClasses: 10, ...options });
const input = (seed: number, size = 8) => randn([2, 3, size, size], { generator: new Generator(seed) });
const values = (t: Tensor) => Array.from(t.dataSync());

test('stochastic depth drops whole blocks in training with linearly decaying survival, never in eval', (t) => {
  const model = small({ stochasticDepth: 0.5, generator: new Generator(7) });
  t.deepEqual(model.blocks.map((b) => b.spec.survival), [0.9375, 0.875, 0.8125, 0.75, 0.6875, 0.625, 0.5625, 0.5]);
  const branchRuns = model.blocks.map(() => 0);
  model.blocks.forEach((b, i) => b.convs[0]!.registerForwardHook(() => void branchRuns[i]!++));
  const x = input(1);
  const passes = 24;
  for (let i = 0; i < passes; i++) tidy(() => void model.call(x));
  const dropped = model.blocks.map((b) => b.dropped);
  // A dropped block's branch never runs: every pass either ran it or skipped it.
  t.deepEqual(dropped.map((d, i) => d + branchRuns[i]!), model.blocks.map(() => passes));
  t.true(dropped.reduce((a, b) => a + b) > 0, `some blocks dropped: ${dropped}`);
  t.true(dropped[7]! > dropped[0]!, `the last block (p=0.5) drops more than the first (p=0.94): ${dropped}`);
  model.eval();
  for (let i = 0; i < 5; i++) tidy(() => void model.call(x));
  t.deepEqual(model.blocks.map((b) => b.dropped), dropped, 'no drops in eval');
});

test('in eval a stochastic-depth ResNet is the full network: same logits as the plain one with the same weights', (t) => {
  const plain = small().eval();
  const sd = small({ stochasticDepth: 0.5 });
  sd.loadStateDict(plain.stateDict());
  sd.eval();
  const x = input(2);
  noGrad(() => t.deepEqual(values(sd.call(x)), values(plain.call(x))));
});

test('batch norm statistics update in training (momentum 0.1, unbiased variance) and not in eval', (t) => {
  const model = small();
  const x = input(3);
  const bn = model.namedModules().find(([n]) => n === 'bn1')![1] as unknown as { runningMean: Tensor; runningVar: Tensor; numBatchesTracked: Tensor };
  const conv1 = model.namedModules().find(([n]) => n === 'conv1')![1];
  const y = noGrad(() => conv1.call(x));
  const batchMean = values(mean(y, [0, 2, 3]));
  noGrad(() => model.call(x));
  const expected = batchMean.map((m) => 0.1 * m);
  values(bn.runningMean).forEach((v, i) => t.true(Math.abs(v - expected[i]!) < 1e-5, `running_mean[${i}] ${v} vs ${expected[i]}`));
  t.is(bn.numBatchesTracked.item(), 1);
  t.notDeepEqual(values(bn.runningVar), values(bn.runningVar).map(() => 1));
  model.eval();
  const before = values(bn.runningMean);
  noGrad(() => model.call(x));
  t.deepEqual(values(bn.runningMean), before);
  t.is(bn.numBatchesTracked.item(), 1);
});

test('a state dict of another architecture is refused with a typed error, leaving the model unchanged', (t) => {
  const model = models.create('resnet18', { numClasses: 10 });
  const other = models.create('preact_resnet18', { numClasses: 10 });
  const before = values(model.stateDict().get('layer1.0.conv1.weight')!);
  const err = t.throws(() => model.loadStateDict(other.stateDict()), { instanceOf: StateDictError });
  t.true(err!.report.unexpected.includes('bn_final.weight') && err!.report.missing.includes('bn1.weight'), err!.message.slice(0, 200));
  t.deepEqual(values(model.stateDict().get('layer1.0.conv1.weight')!), before);
  const bottleneck = new ResNet('bottleneck', { block: 'bottleneck', layers: [1, 1, 1, 1] }, { numClasses: 10 });
  const mis = t.throws(() => model.loadStateDict(bottleneck.stateDict(), { strict: false }), { instanceOf: StateDictError });
  t.true(mis!.report.mismatched.some((m) => m.key === 'layer1.0.conv1.weight'), 'mis-shaped keys are refused even when not strict');
  t.deepEqual(values(model.stateDict().get('layer1.0.conv1.weight')!), before);
  for (const m of [model, other, bottleneck]) m.dispose();
});

test('registered names, bad options and block constraints', (t) => {
  t.true(['resnet18', 'resnet152', 'preact_resnet50', 'wide_resnet50_2', 'resnext101_64x4d'].every((n) => models.list('resnet').includes(n)));
  t.throws(() => small({ stochasticDepth: 0 }), { message: /stochasticDepth/ });
  t.throws(() => new ResNet('x', { block: 'basic', layers: [1, 1, 1, 1], groups: 32 }), { message: /basic residual blocks need groups=1/ });
  const zeroed = small({ zeroInitResidual: true });
  t.true(zeroed.blocks.every((b) => values(b.lastNorm.weight!).every((v) => v === 0)));
});
