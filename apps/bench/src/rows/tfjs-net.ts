/**
 * The spec networks in TF.js (NHWC, its native layout), on whichever TF.js backend is active:
 * inference with batch norm folded (fused conv + bias + ReLU, as the other rows run it) and,
 * for training, conv → batch norm with batch statistics → ReLU, as the Fovea and PyTorch models do.
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeInput, makeWeights, parameterLayers, type Network } from '../models/spec.js';
import { walk, type LayerOps } from '../models/walk.js';

type Params = Map<string, { weight: tf.Tensor; bias: tf.Tensor1D }>;

/** NCHW values as an NHWC tensor. */
export function nhwc(values: Float32Array, [n, c, h, w]: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => tf.transpose(tf.tensor4d(values, [n!, c!, h!, w!]), [0, 2, 3, 1]));
}

/** The spec's weights: conv filters as HWIO, linear weights as [out, in]. */
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

type Padding = [[number, number], [number, number], [number, number], [number, number]];
const padding = (p: number): Padding => [[0, 0], [p, p], [p, p], [0, 0]];

/** The layers every variant computes alike; `conv` is the variant's. */
function commonOps(params: Params): Omit<LayerOps<tf.Tensor>, 'conv'> {
  return {
    maxpool: (l, x) => tf.maxPool(x as tf.Tensor4D, l.k, l.stride, l.pad === 0 ? 'valid' : l.pad),
    addRelu: (a, b) => tf.relu(tf.add(a, b)),
    concat: (parts) => tf.concat(parts, 3),
    gap: (x) => tf.mean(x, [1, 2]),
    linear: (l, x) => {
      const p = params.get(l.name)!;
      return tf.fused.matMul({ a: x as tf.Tensor2D, b: p.weight as tf.Tensor2D, transposeB: true, bias: p.bias });
    },
  };
}

function inferenceOps(params: Params): LayerOps<tf.Tensor> {
  return {
    ...commonOps(params),
    conv: (l, x) => {
      const p = params.get(l.name)!;
      return tf.fused.conv2d({ x: x as tf.Tensor4D, filter: p.weight as tf.Tensor4D, strides: l.stride, pad: padding(l.pad), bias: p.bias, activation: l.relu ? 'relu' : 'linear' });
    },
  };
}

/**
 * Inference with the spec's weights on the spec's input: `run` is the step to time (forward and
 * read back), `logits` the same step returning what it read.
 */
export function tfInference(net: Network): { run: () => Promise<void>; logits: () => Promise<Float32Array>; dispose: () => void } {
  const params = upload(net);
  const x = nhwc(makeInput(net.input), net.input);
  const logits = async () => {
    const y = tf.tidy(() => walk(net.layers, inferenceOps(params), x));
    const values = (await y.data()) as Float32Array;
    y.dispose();
    return values;
  };
  return {
    run: async () => void (await logits()),
    logits,
    dispose: () => {
      x.dispose();
      for (const p of params.values()) tf.dispose([p.weight, p.bias]);
    },
  };
}

/**
 * A trainable network with the spec's conv and linear weights; each conv's bias gives way to a
 * batch norm (scale 1, shift 0 to start). `loss` is the mean cross-entropy on one-hot labels.
 */
export function tfTrainable(net: Network): {
  variables: tf.Variable[];
  /** The weight variable of a conv (HWIO) or linear ([out, in]) layer of the spec. */
  weight: (layer: string) => tf.Variable;
  loss: (x: tf.Tensor4D, oneHot: tf.Tensor2D) => tf.Scalar;
  dispose: () => void;
} {
  const params: Params = new Map();
  const scales = new Map<string, tf.Variable>();
  // Variables made inside tidy: the tensors they start from are freed, the variables kept.
  const variable = <T extends tf.Tensor>(init: () => T) => tf.tidy(() => tf.variable(init())) as tf.Variable & T;
  for (const [name, p] of upload(net)) {
    const isConv = p.weight.rank === 4;
    // A conv's `bias` is its batch norm's shift, which starts at 0.
    params.set(name, { weight: variable(() => p.weight), bias: variable(() => (isConv ? tf.zerosLike(p.bias) : p.bias)) });
    if (isConv) scales.set(name, variable(() => tf.onesLike(p.bias)));
    tf.dispose([p.weight, p.bias]);
  }
  const ops: LayerOps<tf.Tensor> = {
    ...commonOps(params),
    conv: (l, x) => {
      const p = params.get(l.name)!;
      const y = tf.conv2d(x as tf.Tensor4D, p.weight as tf.Tensor4D, l.stride, padding(l.pad));
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      const normed = tf.batchNorm(y, mean, variance, p.bias, scales.get(l.name)!, 1e-5);
      return l.relu ? tf.relu(normed) : normed;
    },
  };
  const variables = [...[...params.values()].flatMap((p) => [p.weight, p.bias]), ...scales.values()] as tf.Variable[];
  return {
    variables,
    weight: (layer) => params.get(layer)!.weight as tf.Variable,
    loss: (x, oneHot) => tf.tidy(() => tf.losses.softmaxCrossEntropy(oneHot, walk(net.layers, ops, x)) as tf.Scalar),
    dispose: () => tf.dispose(variables),
  };
}
