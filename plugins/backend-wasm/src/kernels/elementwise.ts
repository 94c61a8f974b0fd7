import { sizeOf, type AdamStepAttrs, type TensorInfo } from '@fovea/core';
import { dtypeCode, type WasmBackend, type WasmData, type WasmKernel } from '../backend.js';
import { broadcastStrides, collapse } from './strides.js';

// Op codes of elementwise.rs.
const UNARY = { neg: 0, abs: 1, exp: 2, log: 3, sqrt: 4, relu: 5, sigmoid: 6, tanh: 7 } as const;
const BINARY = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, less: 6, equal: 7 } as const;

function unary(op: keyof typeof UNARY): WasmKernel {
  return ({ backend, inputs, outputs }) => {
    const x = inputs[0]!;
    const n = sizeOf(x.shape);
    return backend.run(op, outputs, ([y]) =>
      x.dtype === 'int32' ? backend.exports.fv_unary_i32(UNARY[op], x.dataId.ptr, y!.ptr, n) : backend.exports.fv_unary_f32(UNARY[op], x.dataId.ptr, y!.ptr, n),
    );
  };
}

/** Pointers to the collapsed shape and each operand's strides, written into the arg slots. */
function walkArgs(backend: WasmBackend, out: readonly number[], operands: readonly TensorInfo<WasmData>[], op: string): { rank: number; ptrs: number[] } {
  const walk = collapse(out, operands.map((t) => broadcastStrides(t.shape, out)), op);
  return { rank: walk.shape.length, ptrs: backend.heap.args(walk.shape, ...walk.strides) };
}

function binary(op: keyof typeof BINARY): WasmKernel {
  return ({ backend, inputs, outputs }) => {
    const [a, b] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>];
    const shape = outputs[0]!.shape;
    return backend.run(op, outputs, ([out]) => {
      if (sizeOf(shape) === 0) return 0;
      const { rank, ptrs } = walkArgs(backend, shape, [a, b], op);
      return backend.exports.fv_binary(BINARY[op], dtypeCode(a.dtype), a.dataId.ptr, b.dataId.ptr, out!.ptr, rank, ptrs[0]!, ptrs[1]!, ptrs[2]!);
    });
  };
}

const where: WasmKernel = ({ backend, inputs, outputs }) => {
  const [c, a, b] = inputs as [TensorInfo<WasmData>, TensorInfo<WasmData>, TensorInfo<WasmData>];
  const shape = outputs[0]!.shape;
  return backend.run('where', outputs, ([out]) => {
    if (sizeOf(shape) === 0) return 0;
    const { rank, ptrs } = walkArgs(backend, shape, [c, a, b], 'where');
    const elem = a.dtype === 'bool' ? 1 : 4;
    return backend.exports.fv_where(elem, c.dataId.ptr, a.dataId.ptr, b.dataId.ptr, out!.ptr, rank, ptrs[0]!, ptrs[1]!, ptrs[2]!, ptrs[3]!);
  });
};

const cast: WasmKernel = ({ backend, inputs, outputs }) => {
  const x = inputs[0]!;
  const to = outputs[0]!;
  return backend.run('cast', outputs, ([y]) => backend.exports.fv_cast(dtypeCode(x.dtype), x.dataId.ptr, dtypeCode(to.dtype), y!.ptr, sizeOf(x.shape)));
};

/** core's fused Adam update (`adamStep`, which @fovea/optim calls): one pass per parameter instead of a dozen small ops. */
const adamStep: WasmKernel<AdamStepAttrs> = ({ backend, inputs, attrs: a, outputs }) => {
  const n = sizeOf(outputs[0]!.shape);
  return backend.run('adamStep', outputs, (outs) => {
    const ptrs = [...inputs.map((t) => t.dataId.ptr), ...(a.amsgrad ? [] : [0])];
    const [args] = backend.heap.args([...ptrs, ...outs.map((o) => o.ptr), ...(a.amsgrad ? [] : [0])]);
    const mode = !a.weightDecay ? 0 : a.decoupled ? 2 : 1;
    const decay = a.decoupled ? 1 - a.lr * a.weightDecay : a.weightDecay;
    // The same f64 expressions as the decomposition's scalars; the call rounds them to f32.
    const bias2 = Math.sqrt(1 - a.beta2 ** a.step);
    const stepSize = a.lr / (1 - a.beta1 ** a.step);
    return backend.exports.fv_adam(args!, n, mode, decay, a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, bias2, a.eps, stepSize);
  });
};

export const elementwiseKernels: Record<string, WasmKernel> = {
  neg: unary('neg'),
  abs: unary('abs'),
  exp: unary('exp'),
  log: unary('log'),
  sqrt: unary('sqrt'),
  relu: unary('relu'),
  sigmoid: unary('sigmoid'),
  tanh: unary('tanh'),
  add: binary('add'),
  sub: binary('sub'),
  mul: binary('mul'),
  div: binary('div'),
  pow: binary('pow'),
  maximum: binary('maximum'),
  less: binary('less'),
  equal: binary('equal'),
  where,
  cast,
  adamStep,
};
