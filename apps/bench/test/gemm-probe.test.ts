import test from 'ava';
import * as ort from 'onnxruntime-node';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { gemmModel } from '../src/onnx/models.js';
import { gemmProbe } from '../src/gpu/workloads.js';

/** The n×n product's entries at rows and columns begin, begin + step, …, computed here. */
function probeOf(a: Float32Array, b: Float32Array, n: number): number[] {
  const { begin, step } = gemmProbe(n);
  const at: number[] = [];
  for (let i = begin; i < n; i += step) at.push(i);
  const dot = (i: number, j: number) => Array.from({ length: n }, (_, k) => a[i * n + k]! * b[k * n + j]!).reduce((s, v) => s + v, 0);
  return at.flatMap((i) => at.map((j) => dot(i, j)));
}

const n = 32;
const a = Float32Array.from({ length: n * n }, (_, i) => (i % 7) - 3);
const b = Float32Array.from({ length: n * n }, (_, i) => (i % 5) - 2);

test('the GEMM probe is 5 × 5 entries spread over the product, at the full size and the quick one', (t) => {
  t.deepEqual(gemmProbe(4096), { begin: 1, step: 1023 });
  t.deepEqual(gemmProbe(256), { begin: 1, step: 63 });
  t.is(probeOf(new Float32Array(256 * 256), new Float32Array(256 * 256), 256).length, 25);
});

test("ORT's GEMM model reads back the probe's entries of the product", async (t) => {
  const session = await ort.InferenceSession.create(gemmModel(n, gemmProbe(n)));
  const out = await session.run({ a: new ort.Tensor('float32', a, [n, n]), b: new ort.Tensor('float32', b, [n, n]) });
  t.deepEqual(out.y!.dims, [5, 5]);
  t.deepEqual(Array.from(out.y!.data as Float32Array), probeOf(a, b, n));
  await session.release();
});

test("fovea's strided slice of the product is the same probe", async (t) => {
  const { begin, step } = gemmProbe(n);
  const probe = fv.slice(fv.matmul(fv.tensor(a, [n, n]), fv.tensor(b, [n, n])), [begin, begin], [null, null], [step, step]);
  t.deepEqual(probe.shape, [5, 5]);
  t.deepEqual(Array.from(await probe.data()), probeOf(a, b, n));
});
