import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfWasm from '@tensorflow/tfjs-backend-wasm';
import { CIFAR, cifarLabels } from '../models/cifar.js';
import { resnet18 } from '../models/resnet18.js';
import { squeezenet11 } from '../models/squeezenet.js';
import { makeInput } from '../models/spec.js';
import { registerTfjsGradients } from './tfjs-gradients.js';
import { nhwc, tfInference } from './tfjs-net.js';
import { CONV, type Prepared, type Row, type WorkloadId } from '../workloads.js';

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
  resnet18: () => tfInference(resnet18()),
  squeezenet: () => tfInference(squeezenet11()),
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
