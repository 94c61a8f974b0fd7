import test, { type ExecutionContext } from 'ava';
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import { WebGPUBackend, webgpuKernels } from '../src/index.js';
import { gpuTestUnless, randomValues } from './helpers.js';

// Elementwise fusion through the engine: the same computation on a fused and an unfused
// backend, counting the kernels each dispatches and comparing the values.
let available = true;
try {
  for (const [name, fusion] of [['webgpu-fused', true], ['webgpu-unfused', false]] as const) {
    fv.registerKernels(name, webgpuKernels, { replace: true });
    fv.registerBackend(name, () => WebGPUBackend.create({ name, fusion, checkKeys: true }), { priority: -1, replace: true });
    await fv.setBackend(name);
  }
} catch {
  available = false;
}
const gpuTest = gpuTestUnless(available ? null : 'no WebGPU adapter');

const backendOf = (name: string) => fv.findBackend(name) as WebGPUBackend;
const bytesInUse = (name: string) => backendOf(name).memoryInfo().gpuBytesInUse!;

interface Run {
  values: Float32Array[];
  /** Kernels dispatched while `f` ran and its results were read. */
  dispatches: number;
}

/** Runs `f` on `name` (host inputs made inside it), reads its outputs, counts the dispatches. */
async function on(name: string, f: () => Tensor[]): Promise<Run> {
  await fv.setBackend(name);
  const context = backendOf(name).context;
  const before = context.dispatched;
  const outs = fv.tidy(f);
  const values = await Promise.all(outs.map(async (o) => (await o.data()) as Float32Array));
  fv.dispose(outs);
  return { values, dispatches: context.dispatched - before };
}

/** Runs `f` on both backends: the same values (to float rounding) and the dispatch counts. */
async function compare(t: ExecutionContext, f: () => Tensor[]): Promise<[number, number]> {
  const fused = await on('webgpu-fused', f);
  const unfused = await on('webgpu-unfused', f);
  unfused.values.forEach((want, k) => {
    const got = fused.values[k]!;
    const worst = Math.max(0, ...want.map((w, i) => Math.abs(got[i]! - w) / Math.max(1, Math.abs(w))));
    t.true(worst <= 1e-6, `output ${k}: largest difference ${worst}`);
  });
  return [fused.dispatches, unfused.dispatches];
}

const host = (shape: number[], seed: number) => fv.tensor(randomValues(shape.reduce((a, b) => a * b, 1), seed), shape);

gpuTest('a chain of same-shape elementwise ops runs as one kernel', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const x = host([4, 5], 1);
    const b = host([4, 5], 2);
    return [fv.relu(fv.add(fv.mul(x, 2), fv.exp(b)))];
  });
  t.is(fused, 1);
  t.is(unfused, 4);
});

gpuTest('broadcast inputs are read in place; ops of every dtype fuse (compare, where, cast)', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const x = host([3, 4, 5], 3);
    const bias = host([5], 4);
    const y = fv.sub(x, bias);
    const mask = fv.less(y, 0);
    return [fv.where(mask, fv.mul(y, 0.1), y), fv.cast(fv.mul(fv.cast(mask, 'int32'), 3), 'float32')];
  });
  // One kernel per output: the second recomputes nothing it could read, since mask is not kept.
  t.true(fused <= 2, `${fused} dispatches`);
  t.true(unfused >= 7);
});

gpuTest('an intermediate the caller keeps is written by the same kernel', async (t) => {
  await fv.setBackend('webgpu-fused');
  const context = backendOf('webgpu-fused').context;
  const x = host([6, 7], 5);
  const before = context.dispatched;
  const kept = fv.mul(x, x);
  const y = fv.sqrt(fv.add(kept, 1));
  const yv = await y.data();
  t.is(context.dispatched - before, 1, 'one kernel wrote y and the kept x²');
  const keptv = await kept.data();
  t.is(context.dispatched - before, 1, 'reading the kept intermediate runs nothing');
  const xv = await x.data();
  xv.forEach((v, i) => {
    t.is(keptv[i], Math.fround(v * v));
    t.true(Math.abs(yv[i]! - Math.sqrt(keptv[i]! + 1)) <= 1e-6);
  });
  fv.dispose([x, kept, y]);
});

gpuTest('an op reading a pending value through broadcasting or a reshape computes that value first', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const row = fv.exp(host([5], 6));
    const x = host([4, 5], 7);
    const flat = fv.neg(host([20], 8));
    return [fv.add(fv.mul(x, row), fv.reshape(flat, [4, 5]))];
  });
  t.is(fused, 3, 'exp, neg and the fused mul+add');
  t.is(unfused, 4);
});

gpuTest('linear: the bias add and the activation run in the GEMM\'s store', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const x = host([6, 5], 50);
    const w = host([7, 5], 51);
    return [fv.relu(fv.linear(x, w, host([7], 52)))];
  });
  t.is(fused, 1, 'one GEMM');
  t.is(unfused, 3, 'GEMM, add, relu');
});

gpuTest('a split-K GEMM runs the ops in its finishing pass; a kept GEMM result is written too', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    // Few output tiles over a long reduction: split-K on every tile configuration.
    const product = fv.matmul(host([4, 1200], 53), host([1200, 4], 54));
    return [fv.tanh(fv.mul(fv.add(product, host([4], 55)), 0.01)), product];
  });
  t.is(unfused - fused, 3, 'add, mul and tanh run in the GEMM');
});

gpuTest('with vec4 tiles too, and with the GEMM\'s operands disposed before it runs', async (t) => {
  const name = 'webgpu-fused-vec4';
  fv.registerKernels(name, webgpuKernels, { replace: true });
  fv.registerBackend(name, () => WebGPUBackend.create({ name, tiles: 'compat', checkKeys: true }), { priority: -1, replace: true });
  const f = () => {
    const x = host([2, 8, 12], 56);
    const w = host([16, 12], 57);
    const y = fv.linear(x, w, host([16], 58));
    fv.dispose([x, w]);
    // The bias is broadcast over rows; the sigmoid input is read element for element.
    return [fv.sigmoid(y)];
  };
  const vec4 = await on(name, f);
  const plain = await on('webgpu-unfused', f);
  t.is(vec4.dispatches, 1);
  const worst = Math.max(...plain.values[0]!.map((w, i) => Math.abs(vec4.values[0]![i]! - w)));
  t.true(worst <= 1e-6, `largest difference ${worst}`);
});

gpuTest('a GEMM result read with broadcasting is computed first, not fused', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const row = fv.matmul(host([1, 3], 59), host([3, 5], 60));
    return [fv.mul(host([4, 5], 61), row)];
  });
  t.is(fused, 2);
  t.is(unfused, 2);
});

gpuTest('results nobody reads are never computed, and their inputs are freed with them', async (t) => {
  await fv.setBackend('webgpu-fused');
  const context = backendOf('webgpu-fused').context;
  const baseline = bytesInUse('webgpu-fused');
  const before = context.dispatched;
  fv.tidy(() => {
    const x = host([64], 9);
    fv.exp(fv.neg(x));
  });
  t.is(context.dispatched - before, 0);
  t.is(bytesInUse('webgpu-fused'), baseline);
});

gpuTest('a disposed input stays alive until the pending op reading it has run', async (t) => {
  await fv.setBackend('webgpu-fused');
  const baseline = bytesInUse('webgpu-fused');
  const x = host([32], 10);
  const y = fv.tidy(() => fv.mul(x, 3));
  x.dispose();
  // Storage freed now would be reused (and overwritten) by the next allocation.
  const z = host([32], 11);
  const want = randomValues(32, 10).map((v) => Math.fround(v * 3));
  t.deepEqual(await y.data(), want);
  fv.dispose([y, z]);
  t.is(bytesInUse('webgpu-fused'), baseline);
});

gpuTest('long chains and many inputs are cut to fit one kernel: values still match', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const xs = Array.from({ length: 12 }, (_, k) => host([3, 3], 20 + k));
    // A running value replaced each step (as an optimizer's state is): only the last is held.
    let acc = fv.neg(xs[0]!);
    for (let i = 0; i < 40; i++) {
      const next = fv.tidy(() => fv.add(fv.mul(acc, 0.5), xs[i % xs.length]!));
      acc.dispose();
      acc = next;
    }
    return [acc];
  });
  t.true(fused > 1 && fused <= unfused / 8, `${fused} fused vs ${unfused} unfused dispatches`);
});

gpuTest('intermediates the caller holds are all written, in as few kernels as the bindings allow', async (t) => {
  const [fused, unfused] = await compare(t, () => {
    const x = host([5, 5], 40);
    const steps = [fv.exp(x)];
    for (let i = 0; i < 12; i++) steps.push(fv.mul(steps.at(-1)!, 0.9));
    // Read last first: computing it runs the chain. (Read first first, each read would run one
    // op: what a kernel computes is the closure of what is asked for, nothing downstream.)
    return steps.reverse();
  });
  t.true(fused < unfused / 3, `${fused} fused vs ${unfused} unfused dispatches`);
});

gpuTest('training steps give the same losses fused and unfused, with fewer kernels', async (t) => {
  const train = () => {
    fv.manualSeed(2);
    const x = fv.randn([8, 6]);
    const y = fv.randint(0, 3, [8]);
    const w1 = fv.randn([16, 6], { requiresGrad: true });
    const w2 = fv.randn([3, 16], { requiresGrad: true });
    const losses: Tensor[] = [];
    for (let i = 0; i < 3; i++) {
      const loss = fv.crossEntropy(fv.linear(fv.tanh(fv.linear(x, w1)), w2), y);
      const [g1, g2] = fv.grad(loss, [w1, w2]);
      // Momentum-free SGD with weight decay: an elementwise chain per parameter.
      fv.noGrad(() => [w1, w2].forEach((w, k) => w.assign(fv.sub(w, fv.mul(fv.add([g1, g2][k]!, fv.mul(w, 1e-2)), 0.1)))));
      losses.push(loss.detach());
    }
    return [...losses, w1.detach(), w2.detach()];
  };
  const [fused, unfused] = await compare(t, train);
  t.true(fused < unfused, `${fused} fused vs ${unfused} unfused dispatches`);
  t.log(`dispatches: ${fused} fused, ${unfused} unfused`);
});
