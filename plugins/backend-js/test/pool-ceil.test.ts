// Ceil-mode pooling (PyTorch's `ceil_mode=True`, used by GoogLeNet and SqueezeNet): output
// sizes as PyTorch gives them, the js kernels and core's decompositions against a brute-force
// definition, and both gradients against finite differences.
import test from 'ava';
import { avgPool2d, getOp, gradCheck, maxPool2d, runOp, tensor, tidy, type Tensor } from '@fovea/core';
import '../src/index.js';
import { randomTensor } from './helpers.js';

type Pair = [number, number];
interface Case {
  x: [number, number, number, number];
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  /** The output size torch 1.13 gives with ceil_mode=True. */
  torch: Pair;
}

const cases: Case[] = [
  { x: [1, 2, 6, 6], kernel: [3, 3], stride: [2, 2], padding: [0, 0], torch: [3, 3] },
  { x: [1, 1, 7, 8], kernel: [2, 2], stride: [2, 2], padding: [0, 0], torch: [4, 4] },
  { x: [2, 1, 5, 5], kernel: [3, 3], stride: [2, 2], padding: [1, 1], torch: [3, 3] },
  // The last window would start in the right padding: PyTorch drops it.
  { x: [1, 1, 5, 5], kernel: [2, 2], stride: [2, 2], padding: [1, 1], torch: [3, 3] },
  { x: [1, 2, 13, 10], kernel: [3, 2], stride: [2, 3], padding: [1, 0], torch: [7, 4] },
  // A window larger than the input: ceil mode still gives one (partial) output.
  { x: [1, 2, 2, 2], kernel: [3, 3], stride: [2, 2], padding: [0, 0], torch: [1, 1] },
];

/** Brute force over PyTorch's definition: windows clipped to the padded input, then to the input. */
function reference(kind: 'max' | 'avg', x: Float32Array, c: Case, includePad: boolean): Float32Array {
  const [n, ch, h, w] = c.x;
  const [oh, ow] = c.torch;
  const out = new Float32Array(n * ch * oh * ow);
  let o = 0;
  for (let p = 0; p < n * ch; p++)
    for (let i = 0; i < oh; i++)
      for (let j = 0; j < ow; j++, o++) {
        const y0 = i * c.stride[0] - c.padding[0];
        const x0 = j * c.stride[1] - c.padding[1];
        const y1 = Math.min(y0 + c.kernel[0], h + c.padding[0]);
        const x1 = Math.min(x0 + c.kernel[1], w + c.padding[1]);
        let acc = kind === 'max' ? -Infinity : 0;
        for (let y = Math.max(y0, 0); y < Math.min(y1, h); y++)
          for (let xx = Math.max(x0, 0); xx < Math.min(x1, w); xx++) {
            const v = x[(p * h + y) * w + xx]!;
            acc = kind === 'max' ? Math.max(acc, v) : acc + v;
          }
        const inside = (Math.min(y1, h) - Math.max(y0, 0)) * (Math.min(x1, w) - Math.max(x0, 0));
        out[o] = kind === 'max' ? acc : acc / (includePad ? (y1 - y0) * (x1 - x0) : inside);
      }
  return out;
}

function closeTo(t: import('ava').ExecutionContext, actual: Float32Array, expected: Float32Array, what: string): void {
  t.is(actual.length, expected.length, what);
  const err = actual.reduce((m, v, i) => Math.max(m, Math.abs(v - expected[i]!)), 0);
  t.true(err < 1e-6, `${what}: max error ${err}`);
}

const attrsOf = (c: Case, countIncludePad?: boolean) => ({ kernel: c.kernel, stride: c.stride, padding: c.padding, ceilMode: true, ...(countIncludePad === undefined ? {} : { countIncludePad }) });

test('ceil mode gives PyTorch output sizes; kernels and decompositions match the definition', (t) => {
  for (const c of cases) {
    const values = randomTensor(c.x, 3).values as Float32Array;
    tidy(() => {
      const x = tensor(values, c.x);
      for (const [op, kind, includePad] of [['maxPool2d', 'max', true], ['avgPool2d', 'avg', true], ['avgPool2d', 'avg', false]] as const) {
        const attrs = attrsOf(c, kind === 'avg' ? includePad : undefined);
        const expected = reference(kind, values, c, includePad);
        const viaKernel = runOp(op, [x], attrs)[0]!;
        t.deepEqual(viaKernel.shape.slice(2), c.torch, `${op} shape for ${JSON.stringify(c)}`);
        closeTo(t, viaKernel.dataSync() as Float32Array, expected, `${op} kernel, includePad=${includePad}, ${JSON.stringify(c)}`);
        const viaDecomposition = getOp(op).decompose!([x], attrs)[0]!;
        closeTo(t, viaDecomposition.dataSync() as Float32Array, expected, `${op} decomposition, includePad=${includePad}, ${JSON.stringify(c)}`);
      }
    });
  }
});

test('the front ends take ceilMode and default to floor', (t) => {
  tidy(() => {
    const x = tensor(randomTensor([1, 1, 6, 6], 4).values, [1, 1, 6, 6]);
    t.deepEqual(maxPool2d(x, { kernelSize: 3, stride: 2 }).shape, [1, 1, 2, 2]);
    t.deepEqual(maxPool2d(x, { kernelSize: 3, stride: 2, ceilMode: true }).shape, [1, 1, 3, 3]);
    t.deepEqual(avgPool2d(x, { kernelSize: 3, stride: 2, ceilMode: true, countIncludePad: false }).shape, [1, 1, 3, 3]);
    t.throws(() => runOp('maxPool2d', [x], { kernel: [3, 3], stride: [2, 2], padding: [0, 0], ceilMode: 'yes' }), { message: /ceilMode must be a boolean/ });
    // No output at all is still an error, as in PyTorch.
    t.throws(() => maxPool2d(tensor([1], [1, 1, 1, 1]), { kernelSize: 3, stride: 2, ceilMode: true }), { message: /larger than the padded input/ });
  });
});

test('ceil-mode pooling gradients pass a finite-difference check (kernels and decompositions)', async (t) => {
  for (const c of cases.slice(2)) {
    // Distinct values a few steps apart so max pooling has no near-ties for the differences to cross.
    const values = Float32Array.from(randomTensor(c.x, 5).values, (_, i) => ((i * 37) % 101) / 25);
    const x = tensor(values, c.x);
    const ops: [string, (x: Tensor) => Tensor][] = [
      ['max kernel', (v) => maxPool2d(v, { kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: true })],
      ['avg kernel', (v) => avgPool2d(v, { kernelSize: c.kernel, stride: c.stride, padding: c.padding, ceilMode: true, countIncludePad: false })],
      ['max decomposition', (v) => getOp('maxPool2d').decompose!([v], attrsOf(c))[0]!],
      ['avg decomposition', (v) => getOp('avgPool2d').decompose!([v], attrsOf(c, true))[0]!],
    ];
    for (const [name, fn] of ops) {
      const report = await gradCheck(fn, [x]);
      t.true(report.ok, `${name} ${JSON.stringify(c)}: relative error ${report.maxRelError}`);
    }
    x.dispose();
  }
});
