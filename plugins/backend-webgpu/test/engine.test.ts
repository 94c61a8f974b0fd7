import test from 'ava';
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import { BufferTooLargeError, DeviceLostError, DisposedDataError, GPUMemoryError, WebGPUBackend, WebGPUUnavailableError, registration } from '../src/index.js';
import { gpuTestUnless } from './helpers.js';

// Through the engine, in one process; the device-loss test destroys the device, so it runs last.
const gpuTest = gpuTestUnless(registration.registered ? null : `webgpu not registered: ${(registration as { reason: string }).reason}`);

const active = () => fv.findBackend('webgpu') as WebGPUBackend;
const gpuMemory = () => fv.memory().backends['webgpu']!;

/** The notes' 2-layer net on a fixed toy problem, trained by plain SGD inside `tidy`. */
function twoLayerNet() {
  fv.manualSeed(3);
  const x = fv.randn([32, 6]);
  const y = fv.randint(0, 3, [32]);
  const params = [fv.randn([24, 6], { std: 0.5 }), fv.zeros([24]), fv.randn([3, 24], { std: 0.5 }), fv.zeros([3])];
  params.forEach((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const loss = () => fv.crossEntropy(fv.linear(fv.relu(fv.linear(x, w1, b1)), w2, b2), y);
  const step = () =>
    fv.tidy(() => {
      const grads = fv.grad(loss(), params);
      fv.noGrad(() => params.forEach((p, i) => p.assign(fv.sub(p, fv.mul(grads[i]!, 0.5)))));
    });
  return { tensors: [x, y, ...params], loss, step };
}

gpuTest('a 100-step training loop: loss falls, pool bytes in use return to the baseline', async (t) => {
  await fv.setBackend('webgpu');
  const baseline = gpuMemory().gpuBytesInUse;
  const net = twoLayerNet();
  const firstLoss = fv.tidy(() => fv.keep(net.loss()));
  const first = (await firstLoss.data())[0]!;
  net.step();
  const settled = gpuMemory().gpuBytesInUse;
  for (let i = 1; i < 100; i++) net.step();
  t.is(gpuMemory().gpuBytesInUse, settled, 'no growth across steps');
  const lossTensor = fv.tidy(() => fv.keep(net.loss()));
  const last = (await lossTensor.data())[0]!;
  t.true(last < first * 0.5, `loss ${first} → ${last}`);
  fv.dispose([...net.tensors, firstLoss, lossTensor]);
  t.is(gpuMemory().gpuBytesInUse, baseline, 'disposing the model returns every buffer to the pool');
  t.true(gpuMemory().gpuBufferReuses! > 1000, 'buffers are reused, not re-created');
});

gpuTest('100 steps with optimizer state and a running average nobody reads: memory stays bounded, then returns to the baseline', async (t) => {
  await fv.setBackend('webgpu');
  const baseline = gpuMemory().gpuBytesInUse;
  fv.manualSeed(5);
  const x = fv.randn([32, 6]);
  const y = fv.randint(0, 3, [32]);
  const params = [fv.randn([24, 6], { std: 0.5 }), fv.zeros([24]), fv.randn([3, 24], { std: 0.5 }), fv.zeros([3])];
  params.forEach((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const velocity = params.map((p) => fv.zerosLike(p));
  // Like batch norm's running mean in training: updated every step, read by nothing, so its
  // pending update keeps the batch means it reads alive until the chain is computed.
  const running = fv.zeros([24]);
  const losses: number[] = [];
  const inUse: number[] = [];
  for (let i = 0; i < 100; i++) {
    const loss = fv.tidy(() => {
      const hidden = fv.relu(fv.linear(x, w1, b1));
      const l = fv.crossEntropy(fv.linear(hidden, w2, b2), y);
      const grads = fv.grad(l, params);
      fv.noGrad(() => {
        running.assign(fv.add(fv.mul(running, 0.9), fv.mul(fv.mean(hidden, 0), 0.1)));
        params.forEach((p, k) => {
          velocity[k]!.assign(fv.add(fv.mul(velocity[k]!, 0.9), grads[k]!));
          p.assign(fv.sub(p, fv.mul(velocity[k]!, 0.05)));
        });
      });
      return l.detach();
    });
    losses.push((await loss.data())[0]!);
    loss.dispose();
    inUse.push(gpuMemory().gpuBytesInUse!);
  }
  t.true(losses.at(-1)! < losses[0]! * 0.5, `loss ${losses[0]} → ${losses.at(-1)}`);
  const peak = (from: number, to: number) => Math.max(...inUse.slice(from, to));
  t.true(peak(50, 100) <= peak(0, 50), `bytes in use: peak ${peak(0, 50)} in steps 1–50, ${peak(50, 100)} in steps 51–100`);
  t.true((await running.data()).some((v) => v !== 0), 'the running average was computed when read');
  fv.dispose([x, y, running, ...params, ...velocity]);
  t.is(gpuMemory().gpuBytesInUse, baseline, 'disposing everything returns every buffer to the pool');
});

gpuTest('reading a disposed tensor is a typed error', async (t) => {
  await fv.setBackend('webgpu');
  const x = fv.tensor(new Float32Array([1, 2]));
  x.dispose();
  await t.throwsAsync(() => x.data(), { instanceOf: fv.DisposedError });
  const data = active().write(new Float32Array([1]), { shape: [1], dtype: 'float32' });
  active().disposeData(data);
  await t.throwsAsync(() => active().read(data, { shape: [1], dtype: 'float32' }), { instanceOf: DisposedDataError });
});

gpuTest('a buffer beyond the device limits is a typed error that changes nothing', async (t) => {
  await fv.setBackend('webgpu');
  const one = fv.tensor(new Float32Array([1]), [1, 1]);
  const before = fv.memory();
  const err = t.throws(() => fv.expand(one, [1 << 16, 1 << 16]), { instanceOf: BufferTooLargeError });
  t.true(err instanceof fv.BackendError);
  t.deepEqual(fv.memory().numTensors, before.numTensors);
  t.deepEqual(await fv.add(one, one).data(), new Float32Array([2]), 'the backend still works');
  one.dispose();
});

gpuTest('no adapter: creating the backend fails with a typed error', async (t) => {
  const gpu = { requestAdapter: async () => null } as unknown as GPU;
  const err = await t.throwsAsync(() => WebGPUBackend.create({ gpu }), { instanceOf: WebGPUUnavailableError });
  t.regex(err!.message, /no adapter/);
});

gpuTest('an out-of-memory report from the device surfaces as GPUMemoryError at the next sync, and empties the pool', async (t) => {
  await fv.setBackend('webgpu');
  const used = fv.add(fv.ones([1000]), 1);
  await used.data();
  used.dispose();
  const kept = fv.ones([64]);
  t.true(active().memoryInfo().gpuBytesPooled > 0, 'released buffers are pooled');
  // Dawn reports OOM through the uncaptured-error event with an error of this class name.
  class GPUOutOfMemoryError {
    readonly message = 'allocation failed';
  }
  active().device.onuncapturederror!({ error: new GPUOutOfMemoryError() } as unknown as GPUUncapturedErrorEvent);
  await t.throwsAsync(() => active().sync(), { instanceOf: GPUMemoryError });
  t.is(active().memoryInfo().gpuBytesPooled, 0, 'the pooled buffers were given back');
  t.deepEqual(await kept.data(), new Float32Array(64).fill(1), 'tensors in use are untouched');
  await t.notThrowsAsync(() => active().sync(), 'reported once, then the device carries on');
  kept.dispose();
});

gpuTest('a device lost mid-training: the next step fails with DeviceLostError', async (t) => {
  await fv.setBackend('webgpu');
  const net = twoLayerNet();
  net.step();
  active().device.destroy();
  const err = await t.throwsAsync(async () => {
    net.step();
    await net.loss().data();
  });
  t.true(err instanceof DeviceLostError, `${err?.constructor.name}: ${err?.message}`);
  t.true(err instanceof fv.BackendError);
  t.throws(() => net.step(), { instanceOf: DeviceLostError });
});
