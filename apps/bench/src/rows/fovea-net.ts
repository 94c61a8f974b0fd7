/** The spec networks in Fovea (NCHW), on whichever backend is active, with the spec's weights. */
import * as fv from '@fovea/core';
import { makeInput, makeWeights, parameterLayers, type Network } from '../models/spec.js';
import { walk, type LayerOf, type LayerOps } from '../models/walk.js';

type Params = Map<string, { weight: fv.Tensor; bias: fv.Tensor }>;

function upload(net: Network): Params {
  const weights = makeWeights(net);
  const params: Params = new Map();
  for (const l of parameterLayers(net.layers)) {
    const w = weights.get(l.name)!;
    const shape = l.kind === 'conv' ? [l.cout, l.cin, l.k, l.k] : [l.cout, l.cin];
    params.set(l.name, { weight: fv.keep(fv.tensor(w.weight, shape)), bias: fv.keep(fv.tensor(w.bias, [l.cout])) });
  }
  return params;
}

// Bias, ReLU and a residual block's shortcut ride in the convolution (fusedConv2d), as TF.js's
// fused conv and ONNX Runtime's fused Conv do for the peers.
function ops(params: Params): LayerOps<fv.Tensor> {
  const conv = (l: LayerOf<'conv'>, x: fv.Tensor, options: fv.FusedConv2dOptions) => {
    const p = params.get(l.name)!;
    return fv.fusedConv2d(x, p.weight, p.bias, { stride: l.stride, padding: l.pad, ...options });
  };
  return {
    conv: (l, x) => conv(l, x, { activation: l.relu ? 'relu' : 'none' }),
    convAddRelu: (l, x, residual) => conv(l, x, { residual, activation: 'relu' }),
    maxpool: (l, x) => fv.maxPool2d(x, { kernelSize: l.k, stride: l.stride, padding: l.pad }),
    addRelu: (a, b) => fv.relu(fv.add(a, b)),
    concat: (parts) => fv.concat(parts, 1),
    gap: (x) => fv.mean(x, [2, 3]),
    linear: (l, x) => {
      const p = params.get(l.name)!;
      return fv.linear(x, p.weight, p.bias);
    },
  };
}

/**
 * Inference with the spec's weights on the spec's input: `run` is the step to time (forward and
 * read back), `logits` the same step returning what it read.
 */
export function foveaInference(net: Network): { run: () => Promise<void>; logits: () => Promise<Float32Array>; dispose: () => void } {
  const params = upload(net);
  const x = fv.keep(fv.tensor(makeInput(net.input), net.input));
  const logits = async () => {
    const y = fv.tidy(() => walk(net.layers, ops(params), x));
    const values = (await y.data()) as Float32Array;
    y.dispose();
    return values;
  };
  return {
    run: async () => void (await logits()),
    logits,
    dispose: () => {
      x.dispose();
      for (const p of params.values()) fv.dispose([p.weight, p.bias]);
    },
  };
}
