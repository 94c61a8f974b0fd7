import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { CIFAR, cifarLabels } from '../models/cifar.js';
import { resnet18 } from '../models/resnet18.js';
import { squeezenet11 } from '../models/squeezenet.js';
import { makeInput, makeWeights, parameterLayers, type Layer, type Network } from '../models/spec.js';
import { registerTfjsGradients } from './tfjs-gradients.js';
import { CONV, type Prepared, type Row, type WorkloadId } from '../workloads.js';

type Params = Map<string, { weight: tf.Tensor; bias: tf.Tensor1D }>;

/** NCHW values as an NHWC tensor (TF.js's native layout). */
function nhwc(values: Float32Array, [n, c, h, w]: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(values, [n!, c!, h!, w!]), [0, 2, 3, 1]));
}

function upload(net: Network): Params {
  const weights = makeWeights(net);
  const params: Params = new Map();
  for (const l of parameterLayers(net.layers)) {
    const w = weights.get(l.name)!;
    const weight =
      l.kind === 'conv'
        ? tf.tidy(() => tf.transpose(tf.tensor4d(w.weight, [l.cout, l.cin, l.k, l.k]), [2, 3, 1, 0])) // OIHW → HWIO
        : tf.tensor2d(w.weight, [l.cout, l.cin]);
    params.set(l.name, { weight, bias: tf.tensor1d(w.bias) });
  }
  return params;
}

function forward(layers: readonly Layer[], params: Params, input: tf.Tensor4D | tf.Tensor2D): tf.Tensor {
  let x: tf.Tensor = input;
  for (const l of layers) {
    switch (l.kind) {
      case 'conv': {
        const p = params.get(l.name)!;
        const pad: [[number, number], [number, number], [number, number], [number, number]] = [[0, 0], [l.pad, l.pad], [l.pad, l.pad], [0, 0]];
        x = tf.fused.conv2d({ x: x as tf.Tensor4D, filter: p.weight as tf.Tensor4D, strides: l.stride, pad, bias: p.bias, activation: l.relu ? 'relu' : 'linear' });
        break;
      }
      case 'maxpool':
        x = tf.maxPool(x as tf.Tensor4D, l.k, l.stride, l.pad === 0 ? 'valid' : l.pad);
        break;
      case 'residual':
        x = tf.relu(tf.add(forward(l.body, params, x as tf.Tensor4D), l.shortcut.length ? forward(l.shortcut, params, x as tf.Tensor4D) : x));
        break;
      case 'fire': {
        const s = forward([l.squeeze], params, x as tf.Tensor4D) as tf.Tensor4D;
        x = tf.concat([forward([l.expand1], params, s), forward([l.expand3], params, s)], 3);
        break;
      }
      case 'gap':
        x = tf.mean(x, [1, 2]);
        break;
      case 'linear': {
        const p = params.get(l.name)!;
        x = tf.fused.matMul({ a: x as tf.Tensor2D, b: p.weight as tf.Tensor2D, transposeB: true, bias: p.bias });
        break;
      }
    }
  }
  return x;
}

function inference(net: Network): Prepared {
  const params = upload(net);
  const x = nhwc(makeInput(net.input), net.input);
  return {
    run: async () => {
      const y = tf.tidy(() => forward(net.layers, params, x));
      await y.data();
      y.dispose();
    },
    dispose: () => {
      x.dispose();
      for (const p of params.values()) tf.dispose([p.weight, p.bias]);
    },
  };
}

function gemm(): Prepared {
  const a = tf.tensor2d(makeInput([1024, 1024], 1), [1024, 1024]);
  const b = tf.tensor2d(makeInput([1024, 1024], 2), [1024, 1024]);
  return {
    run: async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    },
    dispose: () => tf.dispose([a, b]),
  };
}

function conv(): Prepared {
  const x = nhwc(makeInput(CONV.input, 1), CONV.input);
  const w = tf.tidy(() => tf.transpose(tf.tensor4d(makeInput(CONV.weight, 2), [...CONV.weight]), [2, 3, 1, 0]));
  return {
    run: async () => {
      const y = tf.conv2d(x, w as tf.Tensor4D, 1, [[0, 0], [CONV.pad, CONV.pad], [CONV.pad, CONV.pad], [0, 0]]);
      await y.data();
      y.dispose();
    },
    dispose: () => tf.dispose([x, w]),
  };
}

/** The CIFAR CNN step with TF.js variables and its Adam; NHWC throughout. */
function trainStep(): Prepared {
  const { conv1, conv2, hidden, flat, classes } = CIFAR;
  const init = (shape: number[], fanIn: number) => tf.variable(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 0), Math.sqrt(2 / fanIn)));
  const w = {
    c1: init([3, 3, conv1.cin, conv1.cout], conv1.cin * 9),
    b1: tf.variable(tf.zeros([conv1.cout])),
    c2: init([3, 3, conv2.cin, conv2.cout], conv2.cin * 9),
    b2: tf.variable(tf.zeros([conv2.cout])),
    f1: init([flat, hidden], flat),
    g1: tf.variable(tf.zeros([hidden])),
    f2: init([hidden, classes], hidden),
    g2: tf.variable(tf.zeros([classes])),
  };
  const opt = tf.train.adam(1e-3);
  const x = nhwc(makeInput(CIFAR.input), CIFAR.input);
  const labels = tf.oneHot(tf.tensor1d(cifarLabels(), 'int32'), classes);
  const loss = () =>
    tf.tidy(() => {
      const block = (input: tf.Tensor4D, filter: tf.Variable, bias: tf.Variable) =>
        tf.maxPool(tf.relu(tf.add(tf.conv2d(input, filter as tf.Tensor4D, 1, 'same'), bias)) as tf.Tensor4D, 2, 2, 'valid');
      const h = block(block(x, w.c1, w.b1), w.c2, w.b2);
      const f = tf.relu(tf.add(tf.matMul(tf.reshape(h, [CIFAR.batch, flat]), w.f1 as tf.Tensor2D), w.g1));
      return tf.losses.softmaxCrossEntropy(labels, tf.add(tf.matMul(f, w.f2 as tf.Tensor2D), w.g2)) as tf.Scalar;
    });
  return {
    run: async () => {
      const l = opt.minimize(loss, true)!;
      await l.data();
      l.dispose();
    },
    dispose: () => {
      opt.dispose();
      tf.dispose([...Object.values(w), x, labels]);
    },
  };
}

const PREPARE: Record<WorkloadId, () => Prepared> = {
  gemm,
  conv,
  resnet18: () => inference(resnet18()),
  squeezenet: () => inference(squeezenet11()),
  train: trainStep,
};

async function tfRow(name: string, backend: string, threads: () => string, only?: WorkloadId[]): Promise<Row> {
  if (!(await tf.setBackend(backend))) throw new Error(`TF.js backend '${backend}' did not initialise`);
  await tf.ready();
  return {
    name,
    threads: threads(),
    prepare: async (workload) => {
      if (only && !only.includes(workload)) return { skip: 'not run: tfjs-cpu is only the JS peer for training, which tfjs-wasm cannot do' };
      await tf.setBackend(backend);
      return PREPARE[workload]();
    },
  };
}

/**
 * tfjs-backend-wasm (SIMD; TF.js turns its threads off in Node), and, opt-in (`--rows=tfjs-cpu`),
 * the pure-JS tfjs-backend-cpu for the training step only: tfjs-wasm has no
 * Conv2DBackpropFilter kernel, so tfjs-cpu is TF.js's only way to train here, but one of its
 * steps took over five minutes on our loaded 2-core machine.
 */
export async function tfjsRows(): Promise<Row[]> {
  await registerTfjsGradients();
  return [
    await tfRow('tfjs-wasm', 'wasm', () => `${tfWasm.getThreadsCount()} (TF.js disables wasm threads in Node)`),
    { ...(await tfRow('tfjs-cpu', 'cpu', () => '1 (JavaScript)', ['train'])), optIn: true },
  ];
}
