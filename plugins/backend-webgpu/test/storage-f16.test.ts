import test from 'ava';
import { existsSync } from 'node:fs';
import * as fv from '@fovea/core';
import type { TypedArray } from '@fovea/core';
import { create } from 'webgpu';
import { roundToHalf } from '../src/half.js';
import { webgpuKernels } from '../src/kernels/index.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';
import { gpuTestUnless, relError, runKernel } from './helpers.js';
import { inputsFor, referenceKernel } from './reference.js';
import { allKernelCalls } from './variants.js';

// Mesa's lavapipe (25 and later) is a software adapter with shader-f16; SwiftShader has none.
const LAVAPIPE_ICDS = ['/usr/share/vulkan/icd.d/lvp_icd.json', '/usr/share/vulkan/icd.d/lvp_icd.x86_64.json'];

/**
 * A backend with f16 storage: on the default adapter when it has shader-f16, else on lavapipe
 * (the Vulkan loader is pointed at it for this test process only), else null and the reason.
 */
async function f16Backend(): Promise<{ backend: WebGPUBackend; gpu: GPU } | { reason: string }> {
  const attempts: string[] = [];
  const tryGpu = async (gpu: GPU) => {
    try {
      return { backend: await WebGPUBackend.create({ gpu, storage: 'f16', checkKeys: true, name: 'webgpu-f16' }), gpu };
    } catch (err) {
      attempts.push((err as Error).message);
      return null;
    }
  };
  const found = await tryGpu(create([]));
  if (found) return found;
  const icd = LAVAPIPE_ICDS.find((path) => existsSync(path));
  if (icd && process.env.FOVEA_WEBGPU_HARDWARE !== '1') {
    process.env.VK_ICD_FILENAMES = icd;
    const lavapipe = await tryGpu(create([]));
    if (lavapipe) return lavapipe;
  }
  return { reason: `no adapter with shader-f16 (${attempts.join('; ')}); Mesa 25's lavapipe has it: scripts/setup.d/f16-adapter.sh` };
}

const found = await f16Backend();
const backend = 'backend' in found ? found.backend : null;
const gpuTest = gpuTestUnless(backend ? null : (found as { reason: string }).reason);

if (backend) {
  fv.registerKernels('webgpu-f16', webgpuKernels, { replace: true });
  fv.registerBackend('webgpu-f16', () => backend, { priority: -1, replace: true });
}

const halve = (values: TypedArray): TypedArray => (values instanceof Float32Array ? values.map(roundToHalf) : values);

/**
 * One float call per kernel, the split-K GEMM and the conv with every epilogue, against the
 * reference on the same inputs rounded to f16: values rounded once on write, computed in f32,
 * so each output is within f16 rounding (2⁻¹¹ relative) of the reference.
 */
const all = allKernelCalls();
const CALLS = [
  ...all.filter((c, i) => [...c.inputs, ...c.outputs].some((s) => s.dtype === 'float32') && all.findIndex((d) => d.op === c.op) === i),
  all.find((c) => c.op === 'batchMatmul' && c.inputs[0]!.shape[2] === 700)!,
  all.findLast((c) => c.op === 'fusedConv2d' && c.attrs.hasBias && c.attrs.hasResidual)!,
];

CALLS.forEach((call, i) => {
  gpuTest(`f16 storage matches the reference within f16 rounding: ${call.op} ${call.inputs.map((x) => `[${x.shape}]`).join(' ')} ${JSON.stringify(call.attrs)}`, async (t) => {
    const inputs = inputsFor(call, i).map((x) => ({ ...x, values: halve(x.values) }));
    const expected = referenceKernel(call.op, inputs, call.attrs, call.outputs);
    const actual = await runKernel(backend!, call.op, inputs, call.attrs, call.outputs);
    actual.forEach((got, k) => {
      const want = expected[k]!;
      t.is(got.constructor, want.constructor, 'float32 reads back as Float32Array');
      if (got instanceof Float32Array) t.true(relError(got, want) < 1e-3, `relative error ${relError(got, want)}`);
      else t.deepEqual([...got], [...want]);
    });
  });
});

gpuTest('values are rounded to f16 on write, IEEE specials included', async (t) => {
  const values = new Float32Array([1 / 3, -0, 65504, 65520, -1e6, 1e-8, 2 ** -24, Infinity, -Infinity, NaN, 0.1]);
  const spec = { shape: [values.length], dtype: 'float32' as const };
  const data = backend!.write(values, spec);
  const back = await backend!.read(data, spec);
  backend!.disposeData(data);
  t.deepEqual([...back], [...values].map(roundToHalf));
});

gpuTest('float32 tensors take half the device memory; int32 and bool keep 4 bytes', async (t) => {
  const before = backend!.memoryInfo().gpuBytesInUse!;
  const f = backend!.write(new Float32Array(4096), { shape: [4096], dtype: 'float32' });
  t.is(backend!.memoryInfo().gpuBytesInUse! - before, 8192);
  const i = backend!.write(new Int32Array(4096), { shape: [4096], dtype: 'int32' });
  t.is(backend!.memoryInfo().gpuBytesInUse! - before, 8192 + 16384);
  backend!.disposeData(f);
  backend!.disposeData(i);
});

gpuTest('a small CNN trains with f16 storage: the loss falls as it does in f32', async (t) => {
  await fv.setBackend('webgpu-f16');
  fv.manualSeed(4);
  const x = fv.randn([8, 1, 8, 8]);
  const y = fv.randint(0, 3, [8]);
  const w = fv.randn([4, 1, 3, 3], { std: 0.5, requiresGrad: true });
  const b = fv.zeros([4], { requiresGrad: true });
  const fc = fv.randn([3, 4 * 4 * 4], { std: 0.2, requiresGrad: true });
  const loss = () => fv.crossEntropy(fv.linear(fv.flatten(fv.maxPool2d(fv.fusedConv2d(x, w, b, { padding: 1, activation: 'relu' }), { kernelSize: 2 }), 1), fc), y);
  const losses: number[] = [];
  for (let i = 0; i < 30; i++) {
    const value = fv.tidy(() => {
      const l = loss();
      const grads = fv.grad(l, [w, b, fc]);
      fv.noGrad(() => [w, b, fc].forEach((p, k) => p.assign(fv.sub(p, fv.mul(grads[k]!, 0.2)))));
      return l.detach();
    });
    losses.push((await value.data())[0]!);
    value.dispose();
  }
  t.log(`losses ${losses[0]!.toFixed(4)} → ${losses.at(-1)!.toFixed(4)}`);
  t.true(losses.at(-1)! < losses[0]! * 0.5);
  fv.dispose([x, y, w, b, fc]);
});

gpuTest('adamStep keeps parameters and moments in f32 (a first second moment of ~1e-9 survives)', async (t) => {
  const call = allKernelCalls().find((c) => c.op === 'adamStep')!;
  // Adam's first step: zero moments, gradients ~1e-3, so v = (1 − β2)·g² ~ 1e-9 (0 in f16).
  const scale = [1, 1e-3, 0, 0, 0];
  const inputs = inputsFor(call, 7).map((x, k) => ({ ...x, values: halve(x.values.map((v) => v * scale[k]!)) }));
  const expected = referenceKernel(call.op, inputs, call.attrs, call.outputs);
  const actual = await runKernel(backend!, call.op, inputs, call.attrs, call.outputs);
  actual.forEach((got, k) => t.true(relError(got, expected[k]!) < 1e-5, `output ${k}: relative error ${relError(got, expected[k]!)}`));
});

/**
 * RMSprop's and Adagrad's updates (as @fovea/optim writes them) on gradients ~1e-3 and ~1e-4:
 * their squares, ~1e-8 after RMSprop's (1 − α), are 0 in f16, which would make the step g / eps
 * (~1e5 per element). Squares and the state summed from them stay f32, so three steps match a
 * float64 run on the same f16-rounded inputs.
 */
for (const optimizer of ['RMSprop', 'Adagrad'] as const) {
  gpuTest(`${optimizer} state built from squared small gradients stays f32`, async (t) => {
    await fv.setBackend('webgpu-f16');
    const [lr, alpha, eps, gradScale] = optimizer === 'RMSprop' ? [0.01, 0.99, 1e-8, 1e-3] : [0.01, 0, 1e-10, 1e-4];
    const n = 64;
    const start = Float32Array.from({ length: n }, (_, i) => roundToHalf(Math.sin(i + 1)));
    const grads = [0, 1, 2].map((s) => Float32Array.from({ length: n }, (_, i) => roundToHalf(gradScale * Math.cos(3 * i + s))));
    const p = fv.tensor(start);
    let state = fv.zeros([n]);
    for (const values of grads) {
      fv.tidy(() => {
        const g = fv.tensor(values);
        // RMSprop: a running average of g²; Adagrad: a running sum.
        const next = optimizer === 'RMSprop' ? fv.add(fv.mul(state, alpha), fv.mul(fv.mul(g, g), 1 - alpha)) : fv.add(state, fv.mul(g, g));
        state.dispose();
        state = fv.keep(next);
        p.assign(fv.sub(p, fv.mul(fv.div(g, fv.add(fv.sqrt(state), eps)), lr)));
      });
    }
    const want = Array.from(start, Number);
    const sums = new Array<number>(n).fill(0);
    for (const values of grads) {
      values.forEach((g, i) => {
        sums[i] = optimizer === 'RMSprop' ? alpha * sums[i]! + (1 - alpha) * g * g : sums[i]! + g * g;
        want[i] = want[i]! - (lr * g) / (Math.sqrt(sums[i]!) + eps);
      });
    }
    const got = await p.data();
    const worst = Math.max(...want.map((w, i) => Math.abs(got[i]! - w)));
    t.true(worst < 1e-4, `largest difference from float64 ${worst}`);
    fv.dispose([p, state]);
  });
}
