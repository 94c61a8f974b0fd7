import type { TensorInfo, TensorSpec } from '@fovea/core';
import type { WasmBackend, WasmData, WasmKernel } from '../backend.js';

type Pair = readonly [number, number];

interface ConvAttrs {
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  groups: number;
}

interface FusedConvAttrs extends ConvAttrs {
  hasBias: boolean;
  hasResidual: boolean;
  activation: 'none' | 'relu';
}

/** conv.rs's activation codes. */
const ACTIVATION = { none: 0, relu: 1 } as const;

interface PoolAttrs {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  countIncludePad?: boolean;
}

/** conv.rs `Conv`: n, c, h, w, o, kh, kw, oh, ow, sh, sw, ph, pw, dh, dw, groups. */
function convGeometry(backend: WasmBackend, x: readonly number[], w: readonly number[], y: readonly number[], a: ConvAttrs): number {
  const values = [x[0]!, x[1]!, x[2]!, x[3]!, w[0]!, w[2]!, w[3]!, y[2]!, y[3]!, ...a.stride, ...a.padding, ...a.dilation, a.groups];
  return backend.heap.args(values)[0]!;
}

/** act(conv2d(x, w) + bias + residual) in one pass; a plain conv2d passes neither. */
function convolve(backend: WasmBackend, op: string, inputs: readonly TensorInfo<WasmData>[], a: FusedConvAttrs, outputs: readonly TensorSpec[]): WasmData[] {
  const [x, w] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  const bias = a.hasBias ? inputs[2]!.dataId.ptr : 0;
  const residual = a.hasResidual ? inputs[a.hasBias ? 3 : 2]!.dataId.ptr : 0;
  return backend.run(op, outputs, ([y]) =>
    backend.exports.fv_conv2d(x.dataId.ptr, w.dataId.ptr, bias, residual, y!.ptr, convGeometry(backend, x.shape, w.shape, outputs[0]!.shape, a), ACTIVATION[a.activation]),
  );
}

const conv2d: WasmKernel<ConvAttrs> = ({ backend, inputs, attrs, outputs }) =>
  convolve(backend, 'conv2d', inputs, { ...attrs, hasBias: false, hasResidual: false, activation: 'none' }, outputs);

const fusedConv2d: WasmKernel<FusedConvAttrs> = ({ backend, inputs, attrs, outputs }) => convolve(backend, 'fusedConv2d', inputs, attrs, outputs);

const conv2dBackpropInput: WasmKernel<ConvAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [dy, w] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  return backend.run('conv2dBackpropInput', outputs, ([dx]) =>
    backend.exports.fv_conv2d_backprop_input(dy.dataId.ptr, w.dataId.ptr, dx!.ptr, convGeometry(backend, outputs[0]!.shape, w.shape, dy.shape, attrs)),
  );
};

const conv2dBackpropFilter: WasmKernel<ConvAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [x, dy] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  return backend.run('conv2dBackpropFilter', outputs, ([dw]) =>
    backend.exports.fv_conv2d_backprop_filter(x.dataId.ptr, dy.dataId.ptr, dw!.ptr, convGeometry(backend, x.shape, outputs[0]!.shape, dy.shape, attrs)),
  );
};

/** pool2d.rs `Pool`: n, c, h, w, oh, ow, kh, kw, sh, sw, ph, pw. */
function poolGeometry(backend: WasmBackend, x: readonly number[], y: readonly number[], a: PoolAttrs): number {
  return backend.heap.args([x[0]!, x[1]!, x[2]!, x[3]!, y[2]!, y[3]!, ...a.kernel, ...a.stride, ...a.padding])[0]!;
}

const maxPool2d: WasmKernel<PoolAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  return backend.run('maxPool2d', outputs, ([y]) => backend.exports.fv_max_pool2d(x.dataId.ptr, y!.ptr, poolGeometry(backend, x.shape, outputs[0]!.shape, attrs)));
};

const avgPool2d: WasmKernel<PoolAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const x = inputs[0]!;
  const geometry = () => poolGeometry(backend, x.shape, outputs[0]!.shape, attrs);
  return backend.run('avgPool2d', outputs, ([y]) => backend.exports.fv_avg_pool2d(x.dataId.ptr, y!.ptr, geometry(), attrs.countIncludePad ? 1 : 0));
};

const maxPool2dGrad: WasmKernel<PoolAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [dy, x] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  return backend.run('maxPool2dGrad', outputs, ([dx]) =>
    backend.exports.fv_max_pool2d_grad(dy.dataId.ptr, x.dataId.ptr, dx!.ptr, poolGeometry(backend, x.shape, dy.shape, attrs)),
  );
};

const avgPool2dGrad: WasmKernel<PoolAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [dy, x] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
  return backend.run('avgPool2dGrad', outputs, ([dx]) =>
    backend.exports.fv_avg_pool2d_grad(dy.dataId.ptr, dx!.ptr, poolGeometry(backend, x.shape, dy.shape, attrs), attrs.countIncludePad ? 1 : 0),
  );
};

export const convKernels: Record<string, WasmKernel> = { conv2d, fusedConv2d, conv2dBackpropInput, conv2dBackpropFilter };
export const poolKernels: Record<string, WasmKernel> = { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad };
