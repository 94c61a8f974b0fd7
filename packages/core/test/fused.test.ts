// fusedConv2d in core: shape inference, typed errors, the inputs and attrs a backend kernel
// receives (the contract the wasm and WebGPU kernels are written against), and that without a
// kernel it runs as conv2d / add / relu. Values and gradients are checked on real backends by
// @fovea/testkit.
import test from 'ava';
import { fusedConv2d, getOp, registerBackend, registerKernels, setBackend, ShapeError, tidy, ValueError, zeros, DTypeError, type KernelImpl } from '../src/index.js';
import { StubBackend } from './stub-backend.js';

const z = (...shape: number[]) => zeros(shape);
type Call = { op: string; shapes: number[][]; attrs: any };
const calls: Call[] = [];

/** Records every kernel call and returns zeros of the output's size. */
const recorder = (op: string): KernelImpl => ({ inputs, outputs, attrs }) => {
  calls.push({ op, shapes: inputs.map((i) => [...i.shape]), attrs });
  return outputs.map((o) => ({ values: new Float32Array(o.shape.reduce((a, b) => a * b, 1)) }));
};

registerBackend('fused-kernel', () => new StubBackend('fused-kernel'), { priority: 0, replace: true });
registerKernels('fused-kernel', { fusedConv2d: recorder('fusedConv2d') }, { replace: true });
registerBackend('primitives', () => new StubBackend('primitives'), { priority: 0, replace: true });
registerKernels('primitives', Object.fromEntries(['conv2d', 'add', 'relu'].map((op) => [op, recorder(op)])), { replace: true });

test.beforeEach(() => {
  calls.length = 0;
});

const infer = (shapes: number[][], attrs: object) =>
  getOp('fusedConv2d').infer(shapes.map((shape) => ({ shape, dtype: 'float32' as const })), {
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
    hasBias: false,
    hasResidual: false,
    activation: 'none',
    ...attrs,
  });

test.serial('infers the convolution output shape with stride, padding, dilation and groups', (t) => {
  t.deepEqual(infer([[2, 4, 9, 8], [6, 2, 3, 3]], { stride: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2 })[0]!.shape, [2, 6, 5, 4]);
  t.deepEqual(infer([[1, 3, 5, 5], [3, 3, 1, 1], [3], [1, 3, 5, 5]], { hasBias: true, hasResidual: true, activation: 'relu' })[0]!.shape, [1, 3, 5, 5]);
});

test.serial('a backend kernel gets x, w, bias, residual in order and the contract attrs', async (t) => {
  await setBackend('fused-kernel');
  tidy(() => fusedConv2d(z(1, 2, 6, 6), z(4, 2, 3, 3), z(4), { stride: 2, padding: [1, 0], dilation: 1, activation: 'relu', residual: z(1, 4, 3, 2) }));
  t.deepEqual(calls, [
    {
      op: 'fusedConv2d',
      shapes: [[1, 2, 6, 6], [4, 2, 3, 3], [4], [1, 4, 3, 2]],
      attrs: { stride: [2, 2], padding: [1, 0], dilation: [1, 1], groups: 1, hasBias: true, hasResidual: true, activation: 'relu' },
    },
  ]);
  calls.length = 0;
  tidy(() => fusedConv2d(z(1, 2, 4, 4), z(2, 2, 1, 1), null, { residual: z(1, 2, 4, 4) }));
  t.deepEqual(calls[0]!.shapes, [[1, 2, 4, 4], [2, 2, 1, 1], [1, 2, 4, 4]], 'no bias: the residual is the third input');
  t.like(calls[0]!.attrs, { hasBias: false, hasResidual: true, activation: 'none' });
});

test.serial('without a kernel it runs as conv2d, add (bias, residual) and relu, with conv2d attrs only', async (t) => {
  await setBackend('primitives');
  tidy(() => fusedConv2d(z(1, 2, 4, 4), z(3, 2, 3, 3), z(3), { padding: 1, activation: 'relu', residual: z(1, 3, 4, 4) }));
  t.deepEqual(calls.map((c) => c.op), ['conv2d', 'add', 'add', 'relu']);
  t.deepEqual(calls[0]!.attrs, { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 });
  calls.length = 0;
  tidy(() => fusedConv2d(z(1, 2, 4, 4), z(3, 2, 3, 3)));
  t.deepEqual(calls.map((c) => c.op), ['conv2d'], 'no bias, residual or activation: the convolution alone');
});

test.serial('bad inputs throw typed errors naming what was expected', async (t) => {
  await setBackend('fused-kernel');
  const x = () => z(1, 2, 5, 5);
  const w = () => z(4, 2, 3, 3);
  const cases: [string, new (...a: any[]) => Error, RegExp, () => unknown][] = [
    ['bias of the wrong length', ShapeError, /bias must be \[4\].*got \[3\]/, () => fusedConv2d(x(), w(), z(3))],
    ['2-D bias', ShapeError, /bias must be \[4\]/, () => fusedConv2d(x(), w(), z(4, 1))],
    ['residual of the wrong shape', ShapeError, /residual must have the convolution's output shape \[1, 4, 3, 3\], got \[1, 4, 5, 5\]/, () => fusedConv2d(x(), w(), null, { residual: z(1, 4, 5, 5) })],
    ['unknown activation', ValueError, /unknown activation "gelu"/, () => fusedConv2d(x(), w(), null, { activation: 'gelu' as 'relu' })],
    ['channels that do not fit', ShapeError, /expected 4 input channels/, () => fusedConv2d(z(1, 3, 5, 5), w(), null, { groups: 2 })],
    ['negative padding', ValueError, /padding/, () => fusedConv2d(x(), w(), null, { padding: -1 })],
    ['kernel larger than the input', ShapeError, /larger than the padded input/, () => fusedConv2d(z(1, 2, 2, 2), w())],
    ['int32 bias', DTypeError, /bias must be float32/, () => fusedConv2d(x(), w(), zeros([4], { dtype: 'int32' }))],
  ];
  for (const [what, error, message, fn] of cases) t.throws(() => tidy(fn), { instanceOf: error, message }, what);
  t.is(calls.length, 0, 'no kernel ran');
  const attrs = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, hasBias: true, hasResidual: false, activation: 'none' };
  t.throws(() => infer([[1, 2, 5, 5], [4, 2, 3, 3]], attrs), { instanceOf: ValueError, message: /expected 3 inputs \(x, w, bias\), got 2/ });
  t.throws(() => infer([[1, 2, 5, 5], [4, 2, 3, 3]], { hasResidual: 1 }), { instanceOf: ValueError, message: /hasResidual must be a boolean/ });
});
