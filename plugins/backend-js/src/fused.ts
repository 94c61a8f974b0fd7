import type { FusedConvAttrs } from '@fovea/core';
import type { JsKernel } from './backend.js';
import { convolve } from './conv.js';

/**
 * The convolution, then bias, residual and activation in one pass over its output (rather than
 * three passes and two temporary arrays as the decomposition would).
 */
const fusedConv2d: JsKernel<FusedConvAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const y = convolve(inputs, attrs, outputs[0]!);
  const bias = attrs.hasBias ? (inputs[2]!.dataId.values as Float32Array) : null;
  const residual = attrs.hasResidual ? (inputs[attrs.hasBias ? 3 : 2]!.dataId.values as Float32Array) : null;
  const relu = attrs.activation === 'relu';
  const [, channels, oh, ow] = outputs[0]!.shape as [number, number, number, number];
  const plane = oh * ow;
  for (let start = 0, c = 0; start < y.length; start += plane, c = (c + 1) % channels) {
    const b = bias ? bias[c]! : 0;
    for (let i = start; i < start + plane; i++) {
      const v = y[i]! + b + (residual ? residual[i]! : 0);
      // `v < 0 ? 0 : v` keeps NaN, as the relu kernel does.
      y[i] = relu && v < 0 ? 0 : v;
    }
  }
  return [backend.adopt(y)];
};

export const fusedKernels: Record<string, JsKernel> = { fusedConv2d };
