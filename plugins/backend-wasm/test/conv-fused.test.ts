// The fusedConv2d kernel on every conv path (im2col GEMM, 1×1 GEMM, grouped GEMMs, depthwise
// direct), on 1 and 2 threads, against the js backend running the unfused composition
// relu(conv2d(x, w) + bias + residual). Shapes span several GEMM tiles and thread tasks.
import test from 'ava';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { registerWasmBackend } from '../src/index.js';

registerWasmBackend('wasm-fused-1t', { threads: 1 });
registerWasmBackend('wasm-fused-2t', { threads: 2 });

interface Case {
  x: number[];
  w: number[];
  options: fv.Conv2dOptions;
}

const CASES: Record<string, Case> = {
  '3×3 padded (im2col)': { x: [2, 16, 19, 21], w: [36, 16, 3, 3], options: { padding: 1 } },
  'strided and dilated': { x: [2, 8, 17, 15], w: [12, 8, 3, 3], options: { stride: 2, padding: 2, dilation: 2 } },
  '1×1 (pointwise)': { x: [3, 24, 9, 11], w: [40, 24, 1, 1], options: {} },
  '1×1 stride 2': { x: [2, 16, 14, 14], w: [32, 16, 1, 1], options: { stride: 2 } },
  'grouped': { x: [2, 8, 12, 12], w: [12, 4, 3, 3], options: { padding: 1, groups: 2 } },
  'depthwise with a channel multiplier': { x: [2, 6, 13, 13], w: [12, 1, 5, 5], options: { stride: 2, padding: 2, groups: 6 } },
  'depthwise 3×3': { x: [1, 16, 10, 10], w: [16, 1, 3, 3], options: { padding: 1, groups: 16 } },
};

/** [bias, residual, activation] combinations. */
const EPILOGUES: [boolean, boolean, 'none' | 'relu'][] = [
  [true, true, 'relu'],
  [true, false, 'relu'],
  [false, true, 'none'],
  [false, false, 'relu'],
  [true, false, 'none'],
];

function inputs(c: Case): { x: fv.Tensor; w: fv.Tensor; bias: fv.Tensor; residual: fv.Tensor } {
  fv.manualSeed(3);
  const x = fv.randn(c.x);
  const w = fv.randn(c.w);
  const bias = fv.randn([c.w[0]!]);
  const shape = fv.noGrad(() => fv.conv2d(x, w, null, c.options)).shape;
  return { x, w, bias, residual: fv.randn(shape) };
}

async function values(backend: string, f: () => fv.Tensor): Promise<Float32Array> {
  await fv.setBackend(backend);
  const y = fv.tidy(f);
  const v = (await y.data()) as Float32Array;
  y.dispose();
  return v;
}

function maxRelativeError(got: Float32Array, want: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / (1 + Math.abs(want[i]!)));
  return worst;
}

for (const [name, c] of Object.entries(CASES)) {
  test.serial(`fusedConv2d ${name}: every epilogue equals the unfused composition on js`, async (t) => {
    for (const [hasBias, hasResidual, activation] of EPILOGUES) {
      const label = `bias ${hasBias}, residual ${hasResidual}, ${activation}`;
      const want = await values('js', () => {
        const { x, w, bias, residual } = inputs(c);
        let y = fv.conv2d(x, w, hasBias ? bias : null, c.options);
        if (hasResidual) y = fv.add(y, residual);
        return activation === 'relu' ? fv.relu(y) : y;
      });
      for (const backend of ['wasm-fused-1t', 'wasm-fused-2t']) {
        const got = await values(backend, () => {
          const { x, w, bias, residual } = inputs(c);
          return fv.fusedConv2d(x, w, hasBias ? bias : null, { ...c.options, activation, residual: hasResidual ? residual : null });
        });
        t.is(got.length, want.length, label);
        t.true(maxRelativeError(got, want) < 1e-4, `${backend}, ${label}: error ${maxRelativeError(got, want)}`);
        t.is(fv.memory().backends[backend]?.numTensors ?? 0, 0);
      }
    }
  });
}

test('fusedConv2d has a wasm kernel (its decomposition is not what runs)', (t) => {
  t.true(fv.listKernels('wasm-fused-2t').includes('fusedConv2d'));
});

test.serial('gradients through the fused kernel equal the unfused ones on js', async (t) => {
  const c = CASES['strided and dilated']!;
  const grads = async (backend: string, fused: boolean) => {
    await fv.setBackend(backend);
    const outs = fv.tidy(() => {
      const { x, w, bias, residual } = inputs(c);
      [x, w, bias, residual].forEach((p) => p.requiresGrad_());
      const y = fused
        ? fv.fusedConv2d(x, w, bias, { ...c.options, activation: 'relu', residual })
        : fv.relu(fv.add(fv.conv2d(x, w, bias, c.options), residual));
      fv.sum(fv.mul(y, fv.tanh(y))).backward();
      return [x, w, bias, residual].map((p) => p.grad!.detach());
    });
    const v = await Promise.all(outs.map(async (o) => (await o.data()) as Float32Array));
    fv.dispose(outs);
    return v;
  };
  const want = await grads('js', false);
  const got = await grads('wasm-fused-2t', true);
  want.forEach((w, i) => t.true(maxRelativeError(got[i]!, w) < 1e-3, `input ${i}: error ${maxRelativeError(got[i]!, w)}`));
});
