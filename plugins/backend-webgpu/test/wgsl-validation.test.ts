import test from 'ava';
import { allocArray, type TensorSpec } from '@fovea/core';
import { create } from 'webgpu';
import { webgpuKernels } from '../src/kernels/index.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';
import { allKernelCalls } from './variants.js';

// Dawn's null backend validates WGSL and pipelines without running anything, so it needs no
// GPU and no software driver: every shader family is checked even where SwiftShader is absent.
const backend = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true });
const calls = allKernelCalls();

test('every kernel the backend registers is exercised by the variant list', (t) => {
  const covered = new Set(calls.map((c) => c.op));
  t.deepEqual(Object.keys(webgpuKernels).filter((op) => !covered.has(op)), []);
});

test('every generated WGSL variant compiles and validates', async (t) => {
  const write = (s: TensorSpec) => ({ ...s, dataId: backend.write(allocArray(s.dtype, s.shape.reduce((n, d) => n * d, 1)), s) });
  const before = backend.memoryInfo().pipelines!;
  for (const call of calls) {
    backend.device.pushErrorScope('validation');
    const inputs = call.inputs.map(write);
    webgpuKernels[call.op]!({ backend, inputs, attrs: call.attrs, outputs: call.outputs });
    backend.context.flush();
    const error = await backend.device.popErrorScope();
    t.is(error?.message ?? null, null, `${call.op} ${JSON.stringify(call.inputs)} ${JSON.stringify(call.attrs)}`);
  }
  await backend.sync();
  t.true(backend.memoryInfo().pipelines! - before > 100, 'the list should reach well over a hundred distinct shaders');
  t.log(`${backend.memoryInfo().pipelines} distinct shaders validated`);
});
