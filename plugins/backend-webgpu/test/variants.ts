import type { DType, TensorSpec } from '@fovea/core';

/** One kernel call: enough to make the kernel generate (and run) one shader variant. */
export interface KernelCall {
  readonly op: string;
  readonly inputs: readonly TensorSpec[];
  readonly attrs: Record<string, unknown>;
  readonly outputs: readonly TensorSpec[];
}

const spec = (shape: number[], dtype: DType = 'float32'): TensorSpec => ({ shape, dtype });

const FLOAT_UNARY = ['exp', 'log', 'sqrt', 'sigmoid', 'tanh'];
const NUMERIC_UNARY = ['neg', 'abs', 'relu'];
const ARITHMETIC = ['add', 'sub', 'mul', 'div', 'pow', 'maximum'];
const COMPARE = ['less', 'equal'];

/** Operand layouts that give the map program each coalesced rank and flat/strided mix. */
const BROADCASTS: [number[], number[], number[]][] = [
  [[2, 3], [2, 3], [2, 3]],
  [[2, 3, 4], [], [2, 3, 4]],
  [[2, 3], [3], [2, 3]],
  [[4, 1, 3], [1, 5, 1], [4, 5, 3]],
  [[2, 1, 3, 1], [1, 4, 1, 5], [2, 4, 3, 5]],
  [[], [], []],
];

function* elementwise(): Generator<KernelCall> {
  for (const op of FLOAT_UNARY) yield { op, inputs: [spec([5])], attrs: {}, outputs: [spec([5])] };
  for (const op of NUMERIC_UNARY) {
    for (const d of ['float32', 'int32'] as const) yield { op, inputs: [spec([5], d)], attrs: {}, outputs: [spec([5], d)] };
  }
  for (const [a, b, y] of BROADCASTS) {
    for (const d of ['float32', 'int32'] as const) {
      for (const op of ARITHMETIC) yield { op, inputs: [spec(a, d), spec(b, d)], attrs: {}, outputs: [spec(y, d)] };
    }
    for (const d of ['float32', 'int32', 'bool'] as const) {
      for (const op of COMPARE) yield { op, inputs: [spec(a, d), spec(b, d)], attrs: {}, outputs: [spec(y, 'bool')] };
      yield { op: 'where', inputs: [spec(a, 'bool'), spec(b, d), spec(y, d)], attrs: {}, outputs: [spec(y, d)] };
    }
  }
  for (const from of ['float32', 'int32', 'bool'] as const) {
    for (const to of ['float32', 'int32', 'bool'] as const) {
      if (from !== to) yield { op: 'cast', inputs: [spec([2, 3], from)], attrs: { dtype: to }, outputs: [spec([2, 3], to)] };
    }
  }
}

function* movement(): Generator<KernelCall> {
  for (const d of ['float32', 'int32', 'bool'] as const) {
    yield { op: 'transpose', inputs: [spec([2, 3], d)], attrs: { perm: [1, 0] }, outputs: [spec([3, 2], d)] };
    yield { op: 'transpose', inputs: [spec([2, 3, 4], d)], attrs: { perm: [2, 0, 1] }, outputs: [spec([4, 2, 3], d)] };
    yield { op: 'transpose', inputs: [spec([2, 3, 4, 5], d)], attrs: { perm: [3, 1, 0, 2] }, outputs: [spec([5, 3, 2, 4], d)] };
    yield { op: 'expand', inputs: [spec([1, 3], d)], attrs: { shape: [4, 3] }, outputs: [spec([4, 3], d)] };
    yield { op: 'slice', inputs: [spec([2, 3, 4], d)], attrs: { begin: [1, 0, 3], step: [-1, 2, -2] }, outputs: [spec([2, 2, 2], d)] };
    yield { op: 'slice', inputs: [spec([6], d)], attrs: { begin: [1], step: [1] }, outputs: [spec([3], d)] };
    for (const [shapes, axis, out] of [
      [[[2], [3]], 0, [5]],
      [[[2, 2], [2, 3]], 1, [2, 5]],
      [[[2, 2, 4], [2, 3, 4], [2, 1, 4]], 1, [2, 6, 4]],
    ] as [number[][], number, number[]][]) {
      yield { op: 'concat', inputs: shapes.map((s) => spec(s, d)), attrs: { axis }, outputs: [spec(out, d)] };
    }
    for (const rank of [0, 1, 2, 3, 4]) {
      const shape = [2, 3, 2, 2].slice(0, rank);
      const pads = shape.map((_, i) => [i % 2, 1] as [number, number]);
      yield { op: 'pad', inputs: [spec(shape, d)], attrs: { pads, value: 0 }, outputs: [spec(shape.map((s, i) => s + pads[i]![0] + pads[i]![1]), d)] };
    }
  }
  for (const d of ['float32', 'int32'] as const) {
    for (const [x, index, axis] of [
      [[5], [3], 0],
      [[3, 5], [3, 2], 1],
      [[4, 3], [2, 3], 0],
      [[2, 3, 4], [2, 3, 2], 2],
    ] as [number[], number[], number][]) {
      yield { op: 'gather', inputs: [spec(x, d), spec(index, 'int32')], attrs: { axis }, outputs: [spec(index, d)] };
      yield { op: 'scatterAdd', inputs: [spec(x, d), spec(index, 'int32'), spec(index, d)], attrs: { axis }, outputs: [spec(x, d)] };
    }
  }
}

function* reductions(): Generator<KernelCall> {
  // Short rows (a thread per output) and long rows (a workgroup tree), kept/reduced ranks 0–2.
  const cases: [number[], number[], number[]][] = [
    [[2, 3, 4], [1], [2, 4]],
    [[2, 3, 4], [0, 2], [3]],
    [[2, 3, 4], [0, 1, 2], []],
    [[4, 300], [1], [4]],
    [[300, 2, 3], [0, 2], [2]],
    [[2, 300, 3], [1], [2, 3]],
  ];
  for (const [x, axes, y] of cases) {
    for (const d of ['float32', 'int32', 'bool'] as const) {
      yield { op: 'sum', inputs: [spec(x, d)], attrs: { axes, keepdim: false }, outputs: [spec(y, d === 'bool' ? 'int32' : d)] };
      yield { op: 'max', inputs: [spec(x, d)], attrs: { axes, keepdim: false }, outputs: [spec(y, d)] };
    }
  }
  for (const d of ['float32', 'int32'] as const) {
    yield { op: 'argmax', inputs: [spec([2, 3, 4], d)], attrs: { axis: 1, keepdim: false }, outputs: [spec([2, 4], 'int32')] };
    yield { op: 'argmax', inputs: [spec([3, 500], d)], attrs: { axis: 1, keepdim: false }, outputs: [spec([3], 'int32')] };
  }
}

/** The GEMM users (matmul and the convolutions): each tile configuration generates its own. */
function* gemm(): Generator<KernelCall> {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = transposeA ? [2, 7, 5] : [2, 5, 7];
      const b = transposeB ? [2, 6, 7] : [2, 7, 6];
      yield { op: 'batchMatmul', inputs: [spec(a), spec(b)], attrs: { transposeA, transposeB }, outputs: [spec([2, 5, 6])] };
      // Past 32 the reduction is staged through workgroup memory (the tiled kernel).
      const at = transposeA ? [2, 37, 5] : [2, 5, 37];
      const bt = transposeB ? [2, 6, 37] : [2, 37, 6];
      yield { op: 'batchMatmul', inputs: [spec(at), spec(bt)], attrs: { transposeA, transposeB }, outputs: [spec([2, 5, 6])] };
      // Aligned shapes (contiguous dims and N multiples of 4) take the vec4 kernel.
      const a4 = transposeA ? [2, 12, 8] : [2, 8, 12];
      const b4 = transposeB ? [2, 16, 12] : [2, 12, 16];
      yield { op: 'batchMatmul', inputs: [spec(a4), spec(b4)], attrs: { transposeA, transposeB }, outputs: [spec([2, 8, 16])] };
      // K a multiple of 4, N not: the scalar kernel, staged with vec4 loads where k is contiguous.
      const ak = transposeA ? [2, 40, 5] : [2, 5, 40];
      const bk = transposeB ? [2, 6, 40] : [2, 40, 6];
      yield { op: 'batchMatmul', inputs: [spec(ak), spec(bk)], attrs: { transposeA, transposeB }, outputs: [spec([2, 5, 6])] };
    }
  }
  // Whole tiles and steps of every tile configuration: the vec4 kernel without bounds checks.
  yield { op: 'batchMatmul', inputs: [spec([1, 64, 32]), spec([1, 32, 64])], attrs: { transposeA: false, transposeB: false }, outputs: [spec([1, 64, 64])] };
  // A long reduction over few output tiles: split-K (partial products, then a finishing pass).
  yield { op: 'batchMatmul', inputs: [spec([1, 9, 700]), spec([1, 700, 7])], attrs: { transposeA: false, transposeB: false }, outputs: [spec([1, 9, 7])] };
  const same = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  yield { op: 'conv2dBackpropFilter', inputs: [spec([2, 2, 16, 16]), spec([2, 3, 16, 16])], attrs: { ...same, filterShape: [3, 2, 3, 3] }, outputs: [spec([3, 2, 3, 3])] };
  // Reductions of 72: the tiled kernel for all three convolutions.
  yield { op: 'conv2d', inputs: [spec([2, 8, 6, 6]), spec([8, 8, 3, 3])], attrs: same, outputs: [spec([2, 8, 6, 6])] };
  yield { op: 'conv2dBackpropInput', inputs: [spec([2, 8, 6, 6]), spec([8, 8, 3, 3])], attrs: { ...same, inputShape: [2, 8, 6, 6] }, outputs: [spec([2, 8, 6, 6])] };
  yield { op: 'conv2dBackpropFilter', inputs: [spec([2, 8, 6, 6]), spec([2, 8, 6, 6])], attrs: { ...same, filterShape: [8, 8, 3, 3] }, outputs: [spec([8, 8, 3, 3])] };
  // Reductions of 12–32: the direct kernel.
  const conv = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 };
  yield { op: 'conv2d', inputs: [spec([2, 4, 7, 6]), spec([6, 2, 3, 2])], attrs: conv, outputs: [spec([2, 6, 4, 4])] };
  yield { op: 'conv2dBackpropInput', inputs: [spec([2, 6, 4, 4]), spec([6, 2, 3, 2])], attrs: { ...conv, inputShape: [2, 4, 7, 6] }, outputs: [spec([2, 4, 7, 6])] };
  yield { op: 'conv2dBackpropFilter', inputs: [spec([2, 4, 7, 6]), spec([2, 6, 4, 4])], attrs: { ...conv, filterShape: [6, 2, 3, 2] }, outputs: [spec([6, 2, 3, 2])] };
  // 1×1: the vec4 matmul kernel where C and H·W are multiples of 4 (tiles with vec4), else the GEMM.
  const pointwise = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
  for (const hw of [4, 3]) {
    yield { op: 'conv2d', inputs: [spec([2, 8, hw, hw]), spec([5, 8, 1, 1])], attrs: pointwise, outputs: [spec([2, 5, hw, hw])] };
    yield { op: 'conv2dBackpropInput', inputs: [spec([2, 8, hw, hw]), spec([8, 4, 1, 1])], attrs: { ...pointwise, inputShape: [2, 4, hw, hw] }, outputs: [spec([2, 4, hw, hw])] };
  }
  yield* fusedConvs();
}

/**
 * fusedConv2d's epilogues: every bias/residual/activation combination on the direct kernel
 * (grouped, strided, dilated), bias + ReLU on the staged one, and all three in split-K's
 * finishing pass (2 output channels reducing over 576).
 */
function* fusedConvs(): Generator<KernelCall> {
  const conv = { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 };
  for (const hasBias of [false, true]) {
    for (const hasResidual of [false, true]) {
      for (const activation of ['none', 'relu']) {
        const extra = [...(hasBias ? [spec([6])] : []), ...(hasResidual ? [spec([2, 6, 4, 4])] : [])];
        const attrs = { ...conv, hasBias, hasResidual, activation };
        yield { op: 'fusedConv2d', inputs: [spec([2, 4, 7, 6]), spec([6, 2, 3, 2]), ...extra], attrs, outputs: [spec([2, 6, 4, 4])] };
      }
    }
  }
  const same = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
  yield { op: 'fusedConv2d', inputs: [spec([2, 8, 6, 6]), spec([8, 8, 3, 3]), spec([8])], attrs: { ...same, hasBias: true, hasResidual: false, activation: 'relu' }, outputs: [spec([2, 8, 6, 6])] };
  const all = { ...same, hasBias: true, hasResidual: true, activation: 'relu' };
  yield { op: 'fusedConv2d', inputs: [spec([1, 64, 4, 4]), spec([2, 64, 3, 3]), spec([2]), spec([1, 2, 4, 4])], attrs: all, outputs: [spec([1, 2, 4, 4])] };
  // A 1×1 convolution's epilogue in the vec4 matmul kernel's store.
  const pointwise = { ...all, padding: [0, 0] };
  yield { op: 'fusedConv2d', inputs: [spec([2, 8, 4, 4]), spec([6, 8, 1, 1]), spec([6]), spec([2, 6, 4, 4])], attrs: pointwise, outputs: [spec([2, 6, 4, 4])] };
}

function* dense(): Generator<KernelCall> {
  const pools: [Record<string, unknown>, number[]][] = [
    [{ kernel: [3, 2], stride: [2, 2], padding: [1, 0], ceilMode: false, countIncludePad: false }, [1, 2, 4, 3]],
    // Ceil mode: the last windows hang over the bottom/right edge, clipped divisors.
    [{ kernel: [2, 3], stride: [2, 2], padding: [0, 1], ceilMode: true, countIncludePad: true }, [1, 2, 4, 4]],
  ];
  for (const [attrs, out] of pools) {
    for (const kind of ['max', 'avg']) {
      yield { op: `${kind}Pool2d`, inputs: [spec([1, 2, 7, 6])], attrs, outputs: [spec(out)] };
      yield { op: `${kind}Pool2dGrad`, inputs: [spec(out), spec([1, 2, 7, 6])], attrs, outputs: [spec([1, 2, 7, 6])] };
    }
  }
  for (const op of ['softmax', 'logSoftmax']) {
    yield { op, inputs: [spec([3, 4, 5])], attrs: { axis: 1 }, outputs: [spec([3, 4, 5])] };
  }
}

/** adamStep without weight decay, with L2 decay and AMSGrad (two passes), and decoupled (AdamW). */
function* optimizers(): Generator<KernelCall> {
  const base = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, step: 3 };
  const variants = [base, { ...base, weightDecay: 0.1, amsgrad: true }, { ...base, weightDecay: 0.01, decoupled: true }];
  for (const attrs of variants) {
    const n = attrs.amsgrad ? 5 : 4;
    yield { op: 'adamStep', inputs: Array.from({ length: n }, () => spec([3, 7])), attrs, outputs: Array.from({ length: n - 1 }, () => spec([3, 7])) };
  }
}

/** Calls that together make every kernel generate each shader family it has. */
export function allKernelCalls(): KernelCall[] {
  return [...elementwise(), ...movement(), ...reductions(), ...gemm(), ...dense(), ...optimizers()];
}

/** Ops that run through the GEMM kernels, whose shaders depend on the tile configuration. */
export const GEMM_OPS = new Set(['batchMatmul', 'conv2d', 'fusedConv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter']);
