import { ValueError } from '@fovea/core';
import { gpuSuite, randomValues, runKernel } from './helpers.js';
import { webgpuKernels } from '../src/kernels/index.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';

const { backend, gpuTest } = await gpuSuite();

gpuTest('write and read round-trip every dtype', async (t) => {
  const b = backend!;
  const f = b.write(new Float32Array([1.5, -2, 3]), { shape: [3], dtype: 'float32' });
  const i = b.write(new Int32Array([7, -8]), { shape: [2], dtype: 'int32' });
  const c = b.write(new Uint8Array([1, 0, 1, 1, 0]), { shape: [5], dtype: 'bool' });
  t.deepEqual(await b.read(f, { shape: [3], dtype: 'float32' }), new Float32Array([1.5, -2, 3]));
  t.deepEqual(await b.read(i, { shape: [2], dtype: 'int32' }), new Int32Array([7, -8]));
  t.deepEqual(await b.read(c, { shape: [5], dtype: 'bool' }), new Uint8Array([1, 0, 1, 1, 0]));
  for (const d of [f, i, c]) b.disposeData(d);
});

gpuTest('add broadcasts', async (t) => {
  const [y] = await runKernel(
    backend!,
    'add',
    [
      { values: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3] },
      { values: new Float32Array([10, 20, 30]), shape: [3] },
    ],
    {},
    [{ shape: [2, 3], dtype: 'float32' }],
  );
  t.deepEqual(y, new Float32Array([11, 22, 33, 14, 25, 36]));
});

gpuTest('a buffer released past the pool cap while recorded work still reads it is destroyed after the submit', async (t) => {
  // Seen on an H200 at batch 32, where released bytes pass the cap: destroyed at once, it failed the next submit.
  const b = await WebGPUBackend.create({ maxPooledBytes: 0, fusion: false });
  try {
    const spec = { shape: [4], dtype: 'float32' as const };
    const x = b.write(new Float32Array([0, 1, 2, 3]), spec);
    const [y] = webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: x }], attrs: {}, outputs: [spec] });
    b.disposeData(x);
    t.deepEqual(await b.read(y!, spec), new Float32Array([-0, -1, -2, -3]));
    b.disposeData(y!);
    t.is(b.memoryInfo().gpuBytesPooled, 0, 'nothing kept above the cap');
  } finally {
    b.dispose();
  }
});

gpuTest('emptyCache() frees the pooled buffers and keeps the tensors', async (t) => {
  const b = await WebGPUBackend.create({ fusion: false });
  try {
    const spec = { shape: [256], dtype: 'float32' as const };
    const values = randomValues(256);
    const kept = b.write(values, spec);
    for (let i = 0; i < 3; i++) b.disposeData(b.write(randomValues(256 * (i + 1)), { shape: [256 * (i + 1)], dtype: 'float32' }));
    t.true(b.memoryInfo().gpuBytesPooled! > 0);
    b.emptyCache();
    t.is(b.memoryInfo().gpuBytesPooled, 0);
    t.is(b.memoryInfo().gpuBytesInUse, 1024);
    t.deepEqual(await b.read(kept, spec), values);
    b.disposeData(kept);
  } finally {
    b.dispose();
  }
});

gpuTest('reads reuse their mappable buffers: one per size, one each for reads in flight together', async (t) => {
  const b = await WebGPUBackend.create({ fusion: false });
  try {
    const spec = { shape: [64], dtype: 'float32' as const };
    const values = randomValues(64);
    const x = b.write(values, spec);
    const [y] = webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: x }], attrs: {}, outputs: [spec] });
    const made = () => b.context.readbacks.buffersCreated;
    const negated = values.map((v) => -v);
    t.deepEqual(await b.read(y!, spec), negated);
    const first = made();
    for (let i = 0; i < 3; i++) t.deepEqual(await b.read(y!, spec), negated);
    t.is(made(), first, 'each later read of the size takes the same buffer');
    const [p, q] = await Promise.all([b.read(y!, spec), b.read(y!, spec)]);
    t.deepEqual([p, q], [negated, negated]);
    t.is(made(), first + 1, 'two reads in flight at once take two');
    b.emptyCache();
    t.deepEqual(await b.read(y!, spec), negated);
    t.is(made(), first + 2, 'emptyCache() lets them go too');
    for (const d of [x, y!]) b.disposeData(d);
  } finally {
    b.dispose();
  }
});

gpuTest('after a read the next batch is submitted at 8 dispatches, then 16, 32 and 64 at a time', async (t) => {
  const b = await WebGPUBackend.create({ fusion: false });
  try {
    const queue = b.context.device.queue;
    const submit = queue.submit.bind(queue);
    const sizes: number[] = [];
    let recorded = 0;
    queue.submit = (buffers) => {
      sizes.push(b.context.dispatched - recorded);
      recorded = b.context.dispatched;
      submit(buffers);
    };
    const spec = { shape: [4], dtype: 'float32' as const };
    let x = b.write(new Float32Array([0, 1, 2, 3]), spec);
    const negate = (times: number) => {
      for (let i = 0; i < times; i++) {
        const [y] = webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: x }], attrs: {}, outputs: [spec] });
        b.disposeData(x);
        x = y!;
      }
    };
    await b.read(x, spec);
    [sizes.length, recorded] = [0, b.context.dispatched];
    negate(8 + 16 + 32 + 64 + 64 + 3);
    t.deepEqual(sizes, [8, 16, 32, 64, 64], 'the last 3 wait for a read');
    t.deepEqual(await b.read(x, spec), new Float32Array([-0, -1, -2, -3]));
    t.deepEqual(sizes, [8, 16, 32, 64, 64, 3]);
    negate(8);
    t.deepEqual(sizes.slice(6), [8], 'small again after the read');
    b.disposeData(x);
  } finally {
    b.dispose();
  }
});

gpuTest('profile: kernelTimes() gives each kernel\'s launches and GPU time, then starts a new count', async (t) => {
  let b: WebGPUBackend;
  try {
    b = await WebGPUBackend.create({ profile: true, fusion: false });
  } catch (err) {
    // An adapter without timestamp queries (SwiftShader) must say why it cannot profile.
    t.regex((err as Error).message, /timestamp-query/);
    return;
  }
  try {
    const spec = { shape: [1, 64, 64], dtype: 'float32' as const };
    const x = b.write(randomValues(64 * 64), spec);
    const info = { ...spec, dataId: x };
    const [y] = webgpuKernels.batchMatmul!({ backend: b, inputs: [info, info], attrs: { transposeA: false, transposeB: false }, outputs: [spec] });
    const [z] = webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: y! }], attrs: {}, outputs: [spec] });
    const [w] = webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: z! }], attrs: {}, outputs: [spec] });
    const times = await b.kernelTimes();
    t.is(times.reduce((n, k) => n + k.calls, 0), 3, JSON.stringify(times));
    t.true(times.some((k) => /^(matmul|gemm)/.test(k.kernel) && k.calls === 1 && k.flops === 2 * 64 ** 3), 'the GEMM says its work: 2·M·N·K');
    t.true(times.filter((k) => !/^(matmul|gemm)/.test(k.kernel)).every((k) => k.flops === undefined), 'others do not');
    t.true(times.some((k) => k.calls === 2), 'the two negations share a kernel and a grid');
    t.true(times.every((k) => k.ms >= 0 && k.ms < 10_000));
    t.deepEqual(await b.kernelTimes(), [], 'taken times are not counted again');
    for (const d of [x, y!, z!, w!]) b.disposeData(d);
  } finally {
    b.dispose();
  }
});

gpuTest('kernelTimes() without profile is a ValueError', async (t) => {
  await t.throwsAsync(() => backend!.kernelTimes(), { instanceOf: ValueError, message: /profile: true/ });
});

gpuTest('a dispatch over the same buffers reuses its bind group (the uniform slice is a dynamic offset)', async (t) => {
  const b = await WebGPUBackend.create({ fusion: false });
  try {
    const spec = { shape: [4], dtype: 'float32' as const };
    const x = b.write(new Float32Array([1, 2, 3, 4]), spec);
    const negate = () => webgpuKernels.neg!({ backend: b, inputs: [{ ...spec, dataId: x }], attrs: {}, outputs: [spec] })[0]!;
    const before = b.memoryInfo().bindGroups!;
    b.disposeData(negate());
    // In the same batch: the output gets the last one's buffer from the pool, the uniforms the next slice.
    const y = negate();
    t.is(b.memoryInfo().bindGroups, before + 1, 'one bind group for both dispatches');
    t.deepEqual(await b.read(y, spec), new Float32Array([-1, -2, -3, -4]));
    for (const d of [x, y]) b.disposeData(d);
  } finally {
    b.dispose();
  }
});

gpuTest('an out-of-range gather index is a ValueError at the next read, naming it; nothing else is lost', async (t) => {
  const b = backend!;
  const xSpec = { shape: [2, 3], dtype: 'float32' as const };
  const iSpec = { shape: [2, 2], dtype: 'int32' as const };
  const x = b.write(new Float32Array([1, 2, 3, 4, 5, 6]), xSpec);
  const index = b.write(new Int32Array([0, 7, 2, 1]), iSpec);
  const other = b.write(new Float32Array([9]), { shape: [1], dtype: 'float32' });
  const [y] = webgpuKernels.gather!({ backend: b, inputs: [{ ...xSpec, dataId: x }, { ...iSpec, dataId: index }], attrs: { axis: 1 }, outputs: [{ shape: [2, 2], dtype: 'float32' }] });
  // Any read reports it (as a CUDA device-side check surfaces at the next synchronisation), even
  // of a one-element value the host still holds.
  const err = await t.throwsAsync(() => b.read(other, { shape: [1], dtype: 'float32' }), { instanceOf: ValueError });
  t.regex(err!.message, /^gather: index 7 is out of range for dim 1 of size 3 \(found on the GPU/);
  t.deepEqual(await b.read(other, { shape: [1], dtype: 'float32' }), new Float32Array([9]), 'reported once');
  t.deepEqual(await b.read(x, xSpec), new Float32Array([1, 2, 3, 4, 5, 6]), 'the tensors are intact');
  t.deepEqual(await b.read(y!, { shape: [2, 2], dtype: 'float32' }), new Float32Array([1, 0, 6, 5]), 'the bad index read 0');
  for (const d of [x, index, other, y!]) b.disposeData(d);
});

gpuTest('an out-of-range scatterAdd index is a ValueError at sync(); in-range ones report nothing', async (t) => {
  const b = backend!;
  const spec = { shape: [3], dtype: 'float32' as const };
  const iSpec = { shape: [2], dtype: 'int32' as const };
  const run = (indices: number[]) => {
    const [base, src] = [b.write(new Float32Array(3), spec), b.write(new Float32Array([1, 2]), { shape: [2], dtype: 'float32' })];
    const index = b.write(new Int32Array(indices), iSpec);
    const inputs = [{ ...spec, dataId: base }, { ...iSpec, dataId: index }, { shape: [2], dtype: 'float32' as const, dataId: src }];
    const [y] = webgpuKernels.scatterAdd!({ backend: b, inputs, attrs: { axis: 0 }, outputs: [spec] });
    for (const d of [base, src, index]) b.disposeData(d);
    return y!;
  };
  const good = run([2, 2]);
  await t.notThrowsAsync(() => b.sync());
  t.deepEqual(await b.read(good, spec), new Float32Array([0, 0, 3]));
  const bad = run([1, -4]);
  await t.throwsAsync(() => b.sync(), { instanceOf: ValueError, message: /^scatterAdd: index -4 is out of range for dim 0 of size 3/ });
  t.deepEqual(await b.read(bad, spec), new Float32Array([0, 1, 0]), 'the bad index added nothing');
  for (const d of [good, bad]) b.disposeData(d);
});
