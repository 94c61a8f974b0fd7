import '@fovea/backend-js';
import test from 'ava';
import { getRngState, manualSeed, noGrad, randn, relu, tidy, ValueError, type Tensor } from '@fovea/core';
import { relativeError } from '@fovea/testkit';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Dropout, Flatten, FusedConv2d, fuseConv, fuseConvBnEval, fuseForInference, Identity, init, Linear, MaxPool2d, Module, ReLU, Sequential, skipInit,
} from '../src/index.js';

const values = (t: Tensor) => [...t.dataSync()];

/** Running statistics and affine parameters far from their defaults, so folding them matters. */
function randomizeBn(bn: BatchNorm2d): BatchNorm2d {
  init.normal(bn.runningMean!, 0.5, 1);
  init.uniform(bn.runningVar!, 0.2, 3);
  if (bn.weight) init.normal(bn.weight, 1, 0.5);
  if (bn.bias) init.normal(bn.bias, 0, 0.5);
  return bn;
}

/** Eval-mode outputs of two models on the same input: their relative error. */
function outputError(a: Module, b: Module, input: number[]): number {
  return tidy(() => {
    const x = randn(input);
    return noGrad(() => relativeError(values(a.call(x)), values(b.call(x))));
  });
}

const snapshot = (m: Module) => [...m.stateDict()].map(([k, v]) => [k, values(v)]);

test('fuseConvBnEval folds running statistics, eps and affine parameters into the conv (with and without conv bias, affine BN, groups)', (t) => {
  manualSeed(1);
  for (const [bias, affine, groups, eps] of [[true, true, 1, 1e-5], [false, true, 2, 1e-3], [true, false, 1, 1e-5], [false, false, 4, 0.1]] as const) {
    const conv = new Conv2d(4, 8, 3, { padding: 1, stride: 2, groups, bias }).eval();
    const bn = randomizeBn(new BatchNorm2d(8, { affine, eps })).eval();
    const fused = fuseConvBnEval(conv, bn);
    t.true(fused instanceof Conv2d && fused.bias !== null && !fused.training);
    t.deepEqual([fused.stride, fused.padding, fused.groups, fused.kernelSize], [2, 1, groups, [3, 3]]);
    const err = outputError(new Sequential(conv, bn), fused, [2, 4, 7, 6]);
    t.true(err < 1e-5, `bias=${bias} affine=${affine} groups=${groups}: relative error ${err}`);
  }
});

test('fusion is refused in training mode and for a batch norm without running statistics', (t) => {
  const conv = new Conv2d(2, 3, 3);
  const bn = new BatchNorm2d(3);
  t.throws(() => fuseConvBnEval(conv, bn), { instanceOf: ValueError, message: /training mode.*eval\(\)/ });
  t.throws(() => fuseConvBnEval(conv.eval(), bn.train()), { instanceOf: ValueError, message: /BatchNorm2d is in training mode/ });
  const model = new Sequential(new Conv2d(2, 3, 3), new BatchNorm2d(3), new ReLU());
  t.throws(() => fuseForInference(model), { instanceOf: ValueError, message: /fuseForInference: fusion is for inference only/ });
  t.true(model.training, 'the refused model is unchanged');
  t.throws(() => fuseConvBnEval(conv.eval(), new BatchNorm2d(3, { trackRunningStats: false }).eval()), { instanceOf: ValueError, message: /without running statistics/ });
});

/** A small VGG-ish net with every fusable pattern, a nested Sequential and unfusable layers. */
function smallNet(): Sequential {
  const net = new Sequential({
    stem: new Conv2d(3, 6, 3, { padding: 1, bias: false }),
    stemBn: randomizeBn(new BatchNorm2d(6)),
    stemRelu: new ReLU(),
    pool: new MaxPool2d(2),
    block: new Sequential(new Conv2d(6, 6, 3, { padding: 1, groups: 3 }), randomizeBn(new BatchNorm2d(6, { affine: false })), new Conv2d(6, 8, 1), new ReLU()),
    lone: new Conv2d(8, 8, 3, { padding: 2, dilation: 2 }),
    noStats: new BatchNorm2d(8, { trackRunningStats: false }),
    head: new Sequential(new AdaptiveAvgPool2d(1), new Flatten(), new Dropout(0.5), new Linear(8, 5)),
  });
  return net.eval();
}

test('fuseForInference replaces conv → BN → ReLU, conv → BN and conv → ReLU runs by FusedConv2d and matches the eval output', (t) => {
  manualSeed(2);
  const net = smallNet();
  const fused = fuseForInference(net) as Sequential;
  const err = outputError(net, fused, [2, 3, 8, 8]);
  t.true(err < 1e-5, `relative error ${err}`);
  const kinds = fused.namedModules().map(([name, m]) => `${name}:${m.constructor.name}${m instanceof FusedConv2d ? `(${m.activation}${m.bias ? ', bias' : ''})` : ''}`);
  t.deepEqual(kinds, [
    ':Sequential',
    'stem:FusedConv2d(relu, bias)',
    'stemBn:Identity',
    'stemRelu:Identity',
    'pool:MaxPool2d',
    'block:Sequential',
    'block.0:FusedConv2d(none, bias)',
    'block.1:Identity',
    'block.2:FusedConv2d(relu, bias)',
    'block.3:Identity',
    'lone:Conv2d',
    'noStats:BatchNorm2d',
    'head:Sequential',
    'head.0:AdaptiveAvgPool2d',
    'head.1:Flatten',
    'head.2:Dropout',
    'head.3:Linear',
  ]);
  t.true(fused.modules().every((m) => !m.training), 'the fused model is in eval mode');
  t.is(fused.at(5), net.at(5), 'layers with nothing to fuse are shared');
});

test('fuseForInference leaves the original model, its tensors and its output as they were', (t) => {
  manualSeed(3);
  const net = smallNet();
  const before = snapshot(net);
  const x = randn([1, 3, 8, 8]);
  const y = noGrad(() => values(net.call(x)));
  const fused = fuseForInference(net);
  // Running the fused model and dropping it must not touch the original either.
  noGrad(() => tidy(() => fused.call(x)));
  for (const m of fused.modules()) if (m instanceof FusedConv2d) m.dispose();
  t.deepEqual(snapshot(net), before);
  t.deepEqual(noGrad(() => values(net.call(x))), y);
  t.true(net.at(0) instanceof Conv2d && net.at(1) instanceof BatchNorm2d && net.at(2) instanceof ReLU, 'the original keeps its layers');
  x.dispose();
});

test('a module with a fuse() hook rewrites itself; one with children and no hook is kept as it is', (t) => {
  class Residual extends Module {
    readonly conv = this.register('conv', new Conv2d(4, 4, 3, { padding: 1 }));
    readonly bn = this.register('bn', randomizeBn(new BatchNorm2d(4)));
    forward(x: Tensor): Tensor {
      return relu(this.bn.call(this.conv.call(x)).add(x));
    }
    override fuse(): Module {
      return new FusedResidual(fuseConv(this.conv, { bn: this.bn, activation: 'relu' }));
    }
  }
  class FusedResidual extends Module {
    constructor(readonly conv: FusedConv2d) {
      super();
      this.register('conv', conv);
    }
    forward(x: Tensor): Tensor {
      return this.conv.call(x, x);
    }
  }
  class NoHook extends Module {
    readonly inner = this.register('inner', new Sequential(new Conv2d(4, 4, 1), new ReLU()));
    forward(x: Tensor): Tensor {
      return this.inner.call(x);
    }
  }
  manualSeed(4);
  const net = new Sequential(new Residual(), new NoHook()).eval();
  const fused = fuseForInference(net) as Sequential;
  t.is(fused.at(0)!.children()[0]!.constructor, FusedConv2d, 'the hook ran');
  t.is(fused.at(1), net.at(1), 'kept, shared');
  const err = outputError(net, fused, [2, 4, 5, 5]);
  t.true(err < 1e-5, `relative error ${err}`);
});

test('FusedConv2d computes act(conv(x) + bias + residual) and trains like a Conv2d', (t) => {
  manualSeed(5);
  const fused = new FusedConv2d(2, 3, 3, { padding: 1, activation: 'relu' });
  const plain = new Conv2d(2, 3, 3, { padding: 1 });
  noGrad(() => void (plain.weight.assign(fused.weight), plain.bias!.assign(fused.bias!)));
  const x = randn([2, 2, 4, 4]);
  const r = randn([2, 3, 4, 4]);
  const y = fused.call(x, r);
  const ref = relu(plain.call(x).add(r));
  t.true(relativeError(values(y), values(ref)) < 1e-6);
  y.sum().backward();
  ref.sum().backward();
  t.true(relativeError(values(fused.weight.grad!), values(plain.weight.grad!)) < 1e-5);
  t.true(relativeError(values(fused.bias!.grad!), values(plain.bias!.grad!)) < 1e-5);
  t.is(fused.toString(), 'FusedConv2d(inChannels=2, outChannels=3, kernelSize=[3, 3], stride=1, padding=1, dilation=1, groups=1, bias=true, activation=relu)');
  t.throws(() => new FusedConv2d(2, 3, 3, { activation: 'gelu' as 'relu' }), { instanceOf: ValueError });
});

test('skipInit builds layers without drawing their default initialisation', (t) => {
  manualSeed(6);
  const state = getRngState();
  const conv = skipInit(() => new Conv2d(3, 4, 3));
  t.deepEqual(getRngState(), state, 'no random draws');
  t.true(values(conv.weight).every((v) => v === 0));
  new Conv2d(3, 4, 3);
  t.notDeepEqual(getRngState(), state, 'outside skipInit layers draw again');
});

test('identity slots keep the state_dict names of the layers that remain', (t) => {
  const net = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2), new ReLU(), new Identity(), new Conv2d(2, 2, 1)).eval();
  t.deepEqual([...fuseForInference(net).stateDict().keys()], ['0.weight', '0.bias', '4.weight', '4.bias']);
});
