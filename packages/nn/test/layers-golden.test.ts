import '@fovea/backend-js';
import test from 'ava';
import { mul, sum, type Tensor } from '@fovea/core';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, ELU, Embedding, L1Loss,
  LeakyReLU, Linear, MaxPool2d, MSELoss, PReLU, ReLU, Sigmoid, SVMHingeLoss, Tanh, type Module,
} from '../src/index.js';
import { expectClose } from '@fovea/testkit';
import { fromGolden, loadCases, type GoldenCase } from './golden.js';

const shapeOf = (c: GoldenCase, name: string) => c.inputs[name]!.shape;

/** How to build the layer that computes each golden op (its tensors are loaded by name after). */
const layers: Record<string, (c: GoldenCase) => Module> = {
  relu: () => new ReLU(),
  sigmoid: () => new Sigmoid(),
  tanh: () => new Tanh(),
  leaky_relu: (c) => new LeakyReLU(c.attrs.negative_slope),
  elu: (c) => new ELU(c.attrs.alpha),
  prelu: (c) => new PReLU(shapeOf(c, 'weight')[0]),
  linear: (c) => new Linear(shapeOf(c, 'weight')[1]!, shapeOf(c, 'weight')[0]!),
  conv2d: (c) => {
    const [o, cg, kh, kw] = shapeOf(c, 'weight') as number[];
    const { stride, padding, dilation, groups } = c.attrs;
    return new Conv2d(cg! * groups, o!, [kh!, kw!], { stride, padding, dilation, groups, bias: 'bias' in c.inputs });
  },
  max_pool2d: (c) => new MaxPool2d(c.attrs.kernel_size, { stride: c.attrs.stride, padding: c.attrs.padding }),
  avg_pool2d: (c) => new AvgPool2d(c.attrs.kernel_size, { stride: c.attrs.stride, padding: c.attrs.padding, countIncludePad: c.attrs.count_include_pad }),
  adaptive_avg_pool2d: (c) => new AdaptiveAvgPool2d(c.attrs.output_size),
  batch_norm: (c) => {
    const x = shapeOf(c, 'x');
    const Layer = x.length === 4 ? BatchNorm2d : BatchNorm1d;
    const tracked = 'running_mean' in c.attrs || 'running_mean' in c.inputs;
    const bn = new Layer(x[1]!, { eps: c.attrs.eps, momentum: c.attrs.momentum, affine: 'weight' in c.inputs, trackRunningStats: tracked });
    return c.attrs.training ? bn : bn.eval();
  },
  cross_entropy: (c) => new CrossEntropyLoss({ reduction: c.attrs.reduction }),
  svm_hinge: (c) => new SVMHingeLoss({ margin: c.attrs.margin, reduction: c.attrs.reduction }),
  mse_loss: (c) => new MSELoss({ reduction: c.attrs.reduction }),
  l1_loss: (c) => new L1Loss({ reduction: c.attrs.reduction }),
  binary_cross_entropy_with_logits: (c) => new BCEWithLogitsLoss({ reduction: c.attrs.reduction }),
  embedding: (c) => new Embedding(shapeOf(c, 'weight')[0]!, shapeOf(c, 'weight')[1]!),
};

/** The golden inputs that are call arguments (the rest are the layer's parameters and buffers). */
const ARGUMENTS = ['x', 'scores', 'labels', 'input', 'target', 'indices'];
const INTEGER = new Set(['labels', 'indices']);
const TOLERANCE = 1e-4;

for (const c of loadCases('layers.json')) {
  test(`${c.name}: forward and gradients match PyTorch`, async (t) => {
    const layer = layers[c.op]!(c);
    const state = new Map<string, Tensor>();
    for (const [name, g] of Object.entries({ ...c.inputs, ...c.attrs })) {
      if (!ARGUMENTS.includes(name) && g && typeof g === 'object' && 'data' in g) state.set(name, fromGolden(g));
    }
    const report = layer.loadStateDict(state, { strict: false });
    t.deepEqual(report.unexpected, []);
    const args = ARGUMENTS.filter((n) => n in c.inputs).map((n) =>
      INTEGER.has(n) ? fromGolden(c.inputs[n]!, 'int32') : fromGolden(c.inputs[n]!).requiresGrad_(),
    );
    const y = layer.call(...args);
    await expectClose(t, y, c.outputs.y!, TOLERANCE, 'y');
    const buffers = new Map(layer.namedBuffers());
    for (const name of ['running_mean', 'running_var'].filter((n) => n in c.outputs)) await expectClose(t, buffers.get(name)!, c.outputs[name]!, TOLERANCE, name);
    if (c.grad_seed) {
      sum(mul(y, fromGolden(c.grad_seed.y!))).backward();
      const params = new Map(layer.namedParameters());
      const named = new Map(ARGUMENTS.filter((n) => n in c.inputs).map((n, i) => [n, args[i]!]));
      for (const [name, g] of Object.entries(c.grads ?? {})) {
        const grad = (params.get(name) ?? named.get(name))?.grad;
        if (grad) await expectClose(t, grad, g, TOLERANCE, `grad ${name}`);
        else t.fail(`grad ${name}: missing`);
      }
    }
  });
}
