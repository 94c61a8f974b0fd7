import '@fovea/backend-js';
import test from 'ava';
import { inspect } from 'node:util';
import { DisposedError, manualSeed, memory, randn, sum, tensor, tidy, ValueError, zeros, type Tensor } from '@fovea/core';
import {
  BatchNorm2d, Conv2d, Linear, Module, ModuleDict, ModuleList, ReLU, Sequential, StateDictError, init,
} from '../src/index.js';

/** A torchvision-like block: conv1/bn1/relu/conv2/bn2, as in ResNet's BasicBlock. */
class Block extends Module {
  readonly conv1 = this.register('conv1', new Conv2d(2, 2, 3, { padding: 1, bias: false }));
  readonly bn1 = this.register('bn1', new BatchNorm2d(2));
  readonly relu = this.register('relu', new ReLU());
  readonly conv2 = this.register('conv2', new Conv2d(2, 2, 3, { padding: 1, bias: false }));
  readonly bn2 = this.register('bn2', new BatchNorm2d(2));

  forward(x: Tensor): Tensor {
    const y = this.bn1.call(this.conv1.call(x));
    return this.relu.call(this.bn2.call(this.conv2.call(this.relu.call(y))).add(x));
  }
}

class Net extends Module {
  readonly features = this.register('features', new Sequential(new Conv2d(1, 2, 3, { padding: 1 }), new ReLU()));
  readonly layer1 = this.register('layer1', new Sequential(new Block()));
  readonly fc = this.register('fc', new Linear(2 * 4 * 4, 3));

  forward(x: Tensor): Tensor {
    return this.fc.call(this.layer1.call(this.features.call(x)).flatten(1));
  }
}

function snapshot(m: Module): Map<string, number[]> {
  return new Map([...m.stateDict()].map(([k, v]) => [k, [...v.dataSync()]]));
}

test('state dict names follow PyTorch', (t) => {
  const net = new Net();
  t.deepEqual([...net.stateDict().keys()], [
    'features.0.weight', 'features.0.bias',
    'layer1.0.conv1.weight',
    'layer1.0.bn1.weight', 'layer1.0.bn1.bias', 'layer1.0.bn1.running_mean', 'layer1.0.bn1.running_var', 'layer1.0.bn1.num_batches_tracked',
    'layer1.0.conv2.weight',
    'layer1.0.bn2.weight', 'layer1.0.bn2.bias', 'layer1.0.bn2.running_mean', 'layer1.0.bn2.running_var', 'layer1.0.bn2.num_batches_tracked',
    'fc.weight', 'fc.bias',
  ]);
  t.is(net.parameters().length, 10);
  t.deepEqual(net.namedBuffers().map(([k]) => k).slice(0, 3), ['layer1.0.bn1.running_mean', 'layer1.0.bn1.running_var', 'layer1.0.bn1.num_batches_tracked']);
  t.deepEqual(net.namedChildren().map(([k]) => k), ['features', 'layer1', 'fc']);
  t.is(net.modules().length, 12);
  t.is(net.stateDict().get('layer1.0.bn1.num_batches_tracked')!.dtype, 'int32');
});

test('a state dict round-trips into a freshly initialised model', (t) => {
  manualSeed(1);
  const a = new Net();
  a.call(randn([2, 1, 4, 4])); // moves the running statistics off their initial values
  a.eval();
  const b = new Net().eval();
  const x = randn([2, 1, 4, 4]);
  t.notDeepEqual(b.call(x).dataSync(), a.call(x).dataSync());
  const report = b.loadStateDict(a.stateDict());
  t.deepEqual(report, { missing: [], unexpected: [], mismatched: [] });
  t.deepEqual(b.call(x).dataSync(), a.call(x).dataSync());
  t.deepEqual(snapshot(b), snapshot(a));
  // A plain record works too, and later updates of the source do not leak into the copy.
  const c = new Linear(2, 2);
  const source = { weight: tensor([[1, 2], [3, 4]]), bias: tensor([5, 6]) };
  c.loadStateDict(source);
  source.weight.assign(zeros([2, 2]));
  t.deepEqual(c.weight.toArray(), [[1, 2], [3, 4]]);
});

test('loadStateDict names missing, unexpected and mis-shaped keys and changes nothing', (t) => {
  const net = new Net();
  const before = snapshot(net);
  const sd = new Map(net.stateDict());
  sd.delete('fc.bias');
  sd.set('fc.extra', zeros([1]));
  sd.set('layer1.0.conv1.weight', zeros([2, 2, 5, 5]));
  sd.set('features.0.weight', zeros([2, 1, 3, 3]));
  const err = t.throws(() => net.loadStateDict(sd), { instanceOf: StateDictError })!;
  t.deepEqual(err.report.missing, ['fc.bias']);
  t.deepEqual(err.report.unexpected, ['fc.extra']);
  t.deepEqual(err.report.mismatched, [{ key: 'layer1.0.conv1.weight', expected: [2, 2, 3, 3], received: [2, 2, 5, 5] }]);
  t.regex(err.message, /missing keys: fc\.bias.*unexpected keys: fc\.extra.*layer1\.0\.conv1\.weight \(expected \[2, 2, 3, 3\], got \[2, 2, 5, 5\]\)/);
  t.deepEqual(snapshot(net), before);

  // Not strict: missing and unexpected keys are reported, the rest loads; shapes still must fit.
  t.throws(() => net.loadStateDict(sd, { strict: false }), { instanceOf: StateDictError, message: /mis-shaped/ });
  sd.delete('layer1.0.conv1.weight');
  const report = net.loadStateDict(sd, { strict: false });
  t.deepEqual(report.missing, ['layer1.0.conv1.weight', 'fc.bias']);
  t.deepEqual(report.unexpected, ['fc.extra']);
  t.deepEqual([...net.stateDict().get('features.0.weight')!.dataSync()], new Array(18).fill(0));
  t.throws(() => net.loadStateDict({ 'fc.weight': 3 as unknown as Tensor }, { strict: false }), { instanceOf: ValueError, message: /fc\.weight/ });
  const gone = zeros([3]);
  gone.dispose();
  t.throws(() => net.loadStateDict({ 'fc.bias': gone }, { strict: false }), { instanceOf: DisposedError });
});

test('loaded values take the dtype of the tensor they replace (a float counter becomes int32)', (t) => {
  const bn = new BatchNorm2d(2);
  bn.loadStateDict({ weight: tensor([1, 2]), bias: tensor([0, 0]), running_mean: tensor([0, 0]), running_var: tensor([1, 1]), num_batches_tracked: tensor(7) });
  t.is(bn.numBatchesTracked!.dtype, 'int32');
  t.is(bn.numBatchesTracked!.item(), 7);
});

test('train() and eval() reach every descendant', (t) => {
  const net = new Net();
  t.true(net.modules().every((m) => m.training));
  net.eval();
  t.true(net.modules().every((m) => !m.training));
  net.layer1.train();
  t.false(net.training);
  t.true(net.layer1.modules().every((m) => m.training));
});

test('requiresGrad_(false) freezes parameters: no gradients reach them', (t) => {
  const net = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
  (net.at(0) as Linear).requiresGrad_(false);
  sum(net.call(randn([5, 3]))).backward();
  const [w0, b0, w1, b1] = net.parameters();
  t.is(w0!.grad, null);
  t.is(b0!.grad, null);
  t.truthy(w1!.grad);
  t.truthy(b1!.grad);
  net.zeroGrad();
  t.is(w1!.grad, null);
});

test('apply visits children before the parent (for custom initialisation)', (t) => {
  const net = new Net();
  const seen: string[] = [];
  net.apply((m) => {
    seen.push(m.constructor.name);
    if (m instanceof Linear) init.constant(m.weight, 0.5);
  });
  t.deepEqual(seen.slice(0, 3), ['Conv2d', 'ReLU', 'Sequential']);
  t.deepEqual(seen.slice(-3), ['Sequential', 'Linear', 'Net']);
  t.true([...net.fc.weight.dataSync()].every((v) => v === 0.5));
});

test('shared parameters are listed once; names must be valid and of one kind', (t) => {
  const shared = new Linear(2, 2);
  const list = new ModuleList([shared, new ReLU(), shared]);
  t.is(list.length, 3);
  t.is(list.parameters().length, 2);
  t.deepEqual(list.namedParameters().map(([k]) => k), ['0.weight', '0.bias']);
  t.is([...list.stateDict().keys()].length, 4);
  t.throws(() => list.forward(), { instanceOf: ValueError });
  t.throws(() => shared.register('a.b', new ReLU()), { instanceOf: ValueError });
  t.throws(() => shared.register('weight', new ReLU()), { instanceOf: ValueError, message: /already registered/ });
  t.throws(() => shared.registerParameter('scaled', shared.weight.mul(2)), { instanceOf: ValueError, message: /leaf/ });
  const dict = new ModuleDict({ encoder: new Linear(2, 3) }).set('head', new Linear(3, 1));
  t.deepEqual(dict.keys(), ['encoder', 'head']);
  t.deepEqual([...dict.stateDict().keys()], ['encoder.weight', 'encoder.bias', 'head.weight', 'head.bias']);
  t.true(dict.get('head') instanceof Linear);
});

test('Sequential takes named children, appends and iterates', (t) => {
  const seq = new Sequential({ fc1: new Linear(4, 3), act: new ReLU() }).append(new Linear(3, 1));
  t.deepEqual([...seq.stateDict().keys()], ['fc1.weight', 'fc1.bias', '2.weight', '2.bias']);
  t.deepEqual([...seq].map((m) => m.constructor.name), ['Linear', 'ReLU', 'Linear']);
  t.deepEqual(seq.call(randn([2, 4])).shape, [2, 1]);
});

test('forward hooks see each call and can be removed', (t) => {
  const fc = new Linear(2, 3);
  const shapes: number[][] = [];
  const remove = fc.registerForwardHook((_m, inputs, out) => shapes.push([...inputs[0]!.shape, ...out.shape]));
  fc.call(randn([4, 2]));
  remove();
  fc.call(randn([1, 2]));
  t.deepEqual(shapes, [[4, 2, 4, 3]]);
});

test('modules built inside tidy keep their tensors; forward inside tidy leaks nothing', (t) => {
  const net = tidy(() => new Net());
  const x = randn([2, 1, 4, 4]);
  const before = memory().numTensors;
  for (let i = 0; i < 3; i++) tidy(() => void net.call(x).sum());
  t.is(memory().numTensors, before);
  net.dispose();
  t.is(memory().numTensors, before - net.stateDict().size);
  x.dispose();
});

test('toString describes the module tree with each layer\'s configuration, as PyTorch prints it', (t) => {
  const model = new Sequential(new Conv2d(1, 8, 3, { padding: 1, bias: false }), new BatchNorm2d(8), new ReLU(), new Sequential(new Linear(8, 2)));
  const expected = [
    'Sequential(',
    '  (0): Conv2d(inChannels=1, outChannels=8, kernelSize=[3, 3], stride=1, padding=1, dilation=1, groups=1, bias=false)',
    '  (1): BatchNorm2d(numFeatures=8, eps=0.00001, momentum=0.1, affine=true, trackRunningStats=true)',
    '  (2): ReLU()',
    '  (3): Sequential(',
    '    (0): Linear(inFeatures=8, outFeatures=2, bias=true)',
    '  )',
    ')',
  ].join('\n');
  t.is(String(model), expected);
  t.is(inspect(model), expected);
});
