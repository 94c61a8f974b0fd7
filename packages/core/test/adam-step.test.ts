// adamStep in core: the inputs and attrs a backend kernel receives (the contract the wasm and
// WebGPU kernels are written against), that without a kernel it runs as primitives with Adam's
// maths, and typed errors. @fovea/optim checks it on the js backend through Adam/AdamW.
import test from 'ava';
import { adamStep, DTypeError, registerBackend, registerKernels, setBackend, ShapeError, tensor, ValueError, zeros, type AdamStepAttrs, type KernelImpl } from '../src/index.js';
import { StubBackend } from './stub-backend.js';

const attrs: AdamStepAttrs = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, amsgrad: false, step: 1 };
const calls: { op: string; shapes: number[][]; attrs: any }[] = [];

type Data = { values: Float32Array };
/** An elementwise kernel that records its call; a one-element input is a scalar. */
const recorded = (op: string, f: (...v: number[]) => number): KernelImpl => ({ inputs, outputs, attrs: a }) => {
  calls.push({ op, shapes: inputs.map((i) => [...i.shape]), attrs: a });
  return outputs.map((o) => {
    const out = new Float32Array(o.shape.reduce((x, y) => x * y, 1));
    const vals = inputs.map((i) => (i.dataId as Data).values);
    for (let k = 0; k < out.length; k++) out[k] = f(...vals.map((v) => v[v.length === 1 ? 0 : k]!));
    return { values: out };
  });
};

registerBackend('adam-kernel', () => new StubBackend('adam-kernel'), { priority: 0, replace: true });
registerKernels('adam-kernel', { adamStep: recorded('adamStep', () => 0) }, { replace: true });
registerBackend('adam-primitives', () => new StubBackend('adam-primitives'), { priority: 0, replace: true });
const PRIMITIVES: Record<string, (...v: number[]) => number> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, sqrt: Math.sqrt, maximum: Math.max,
};
registerKernels('adam-primitives', Object.fromEntries(Object.entries(PRIMITIVES).map(([op, f]) => [op, recorded(op, f)])), { replace: true });

test.beforeEach(() => {
  calls.length = 0;
});

test.serial('a backend kernel gets param, grad and the moments in order, with the attrs as given', async (t) => {
  await setBackend('adam-kernel');
  const outs = adamStep([zeros([2, 3]), zeros([2, 3]), zeros([2, 3]), zeros([2, 3]), zeros([2, 3])], { ...attrs, amsgrad: true });
  t.deepEqual(calls, [{ op: 'adamStep', shapes: Array(5).fill([2, 3]), attrs: { ...attrs, amsgrad: true } }]);
  t.deepEqual(outs.map((o) => o.shape), Array(4).fill([2, 3]));
});

test.serial("without a kernel it runs as primitives: Adam's first step moves each weight by lr against its gradient's sign", async (t) => {
  await setBackend('adam-primitives');
  const [p, g] = [tensor([1, -2, 3]), tensor([0.5, -4, 1e-3])];
  const [next, m, v] = adamStep([p, g, zeros([3]), zeros([3])], attrs);
  t.true(calls.every((c) => c.op in PRIMITIVES));
  // At step 1 the bias-corrected m / √v is g / |g|, up to eps.
  Array.from(next!.dataSync()).forEach((w, i) => t.true(Math.abs(w - [0.9, -1.9, 2.9][i]!) < 1e-5, `${w}`));
  Array.from(m!.dataSync()).forEach((x, i) => t.true(Math.abs(x - 0.1 * [0.5, -4, 1e-3][i]!) < 1e-7));
  Array.from(v!.dataSync()).forEach((x, i) => t.true(Math.abs(x - 0.001 * [0.25, 16, 1e-6][i]!) < 1e-7));
});

test.serial('bad inputs are typed errors', async (t) => {
  await setBackend('adam-kernel');
  const p = zeros([4]);
  t.throws(() => adamStep([p, zeros([4]), zeros([4])], attrs), { instanceOf: ValueError, message: /expected 4 inputs/ });
  t.throws(() => adamStep([p, zeros([4]), zeros([4]), zeros([4])], { ...attrs, amsgrad: true }), { instanceOf: ValueError, message: /maxExpAvgSq/ });
  t.throws(() => adamStep([p, zeros([3]), zeros([4]), zeros([4])], attrs), { instanceOf: ShapeError });
  t.throws(() => adamStep([p, zeros([4], { dtype: 'int32' }), zeros([4]), zeros([4])], attrs), { instanceOf: DTypeError });
  t.throws(() => adamStep([p, zeros([4]), zeros([4]), zeros([4])], { ...attrs, step: 0 }), { instanceOf: ValueError, message: /step/ });
  t.is(calls.length, 0);
});
