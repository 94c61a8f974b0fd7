import test, { type ExecutionContext } from 'ava';
import { allocArray, type DType, type TensorSpec } from '@fovea/core';
import { create } from 'webgpu';
import { webgpuKernels } from '../src/kernels/index.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';
import { TILE_CONFIGS } from '../src/tile-config.js';
import { GEMM_OPS, allKernelCalls, type KernelCall } from './variants.js';

// Dawn's null backend validates WGSL and pipelines without running anything, so it needs no
// GPU and no software driver: every shader family is checked even where SwiftShader is absent.
const backend = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true });
const calls = allKernelCalls();

test('every kernel the backend registers is exercised by the variant list', (t) => {
  const covered = new Set(calls.map((c) => c.op));
  t.deepEqual(Object.keys(webgpuKernels).filter((op) => !covered.has(op)), []);
});

/**
 * Runs each call's kernel on `b`, asserting that WebGPU raised no validation error. With
 * `fullInputs`, float inputs are f32 buffers even under f16 storage (as adamStep writes them).
 */
async function validate(b: WebGPUBackend, list: readonly KernelCall[], t: ExecutionContext, fullInputs = false): Promise<void> {
  const size = (s: TensorSpec) => s.shape.reduce((n, d) => n * d, 1);
  const write = (s: TensorSpec) => ({ ...s, dataId: fullInputs ? b.alloc(size(s), s.dtype, true) : b.write(allocArray(s.dtype, size(s)), s) });
  for (const call of list) {
    b.device.pushErrorScope('validation');
    const inputs = call.inputs.map(write);
    const outputs = webgpuKernels[call.op]!({ backend: b, inputs, attrs: call.attrs, outputs: call.outputs });
    // Elementwise results are pending until something needs them.
    for (const out of outputs) b.fuser.realize(out);
    b.context.flush();
    const error = await b.device.popErrorScope();
    t.is(error?.message ?? null, null, `${b.tiles.name} tiles: ${call.op} ${JSON.stringify(call.inputs)} ${JSON.stringify(call.attrs)}`);
  }
  await b.sync();
}

test('every generated WGSL variant compiles and validates', async (t) => {
  const before = backend.memoryInfo().pipelines!;
  await validate(backend, calls, t);
  t.true(backend.memoryInfo().pipelines! - before > 100, 'the list should reach well over a hundred distinct shaders');
  t.log(`${backend.memoryInfo().pipelines} distinct shaders validated (${backend.tiles.name} tiles)`);
});

// The null adapter offers shader-f16, so the f16-storage shaders are checked without an f16 GPU:
// with f16 inputs, and with the f32 inputs adamStep's outputs are.
test('every variant validates with f16 storage', async (t) => {
  const b = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true, storage: 'f16' });
  await validate(b, calls, t);
  await validate(b, calls, t, true);
  t.log(`${b.memoryInfo().pipelines} distinct shaders validated with f16 storage`);
  b.dispose();
});

for (const name of Object.keys(TILE_CONFIGS) as (keyof typeof TILE_CONFIGS)[]) {
  test(`the GEMM shaders of the '${name}' tile configuration validate`, async (t) => {
    const b = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true, tiles: name });
    await validate(b, calls.filter((c) => GEMM_OPS.has(c.op)), t);
    t.log(`${b.memoryInfo().pipelines} GEMM shaders`);
    b.dispose();
  });

  test(`matmul epilogues (a broadcast bias add, then ReLU or a square, in the store) validate with '${name}' tiles`, async (t) => {
    for (const storage of ['f32', 'f16'] as const) {
      const b = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true, tiles: name, storage });
      const write = (shape: readonly number[]) => ({ shape, dtype: 'float32' as DType, dataId: b.write(new Float32Array(shape.reduce((n, d) => n * d, 1)), { shape, dtype: 'float32' }) });
      b.device.pushErrorScope('validation');
      for (const call of calls.filter((c) => c.op === 'batchMatmul')) {
        const out = call.outputs[0]!;
        const matmul = () => webgpuKernels.batchMatmul!({ backend: b, inputs: call.inputs.map((i) => write(i.shape)), attrs: call.attrs, outputs: call.outputs })[0]!;
        const alone = b.context.dispatched;
        b.fuser.realize(matmul());
        const gemm = b.context.dispatched - alone; // 2 with split-K
        // With the product and sum kept (written as well) and released (only the last op written).
        for (const keep of [true, false]) {
          const product = matmul();
          const bias = write([out.shape.at(-1)!]);
          const [sum] = webgpuKernels.add!({ backend: b, inputs: [{ ...out, dataId: product }, bias], attrs: {}, outputs: [out] });
          // Kept: a square (f32 under f16 storage) written beside the f16 product and sum.
          const input = { ...out, dataId: sum! };
          const [y] = keep ? webgpuKernels.mul!({ backend: b, inputs: [input, input], attrs: {}, outputs: [out] }) : webgpuKernels.relu!({ backend: b, inputs: [input], attrs: {}, outputs: [out] });
          if (!keep) [product, sum].forEach((d) => b.disposeData(d));
          const dispatched = b.context.dispatched;
          b.fuser.realize(y!);
          t.is(b.context.dispatched - dispatched, gemm, 'the GEMM alone runs');
        }
      }
      b.context.flush();
      const error = await b.device.popErrorScope();
      t.is(error?.message ?? null, null, `${name} tiles, ${storage} storage`);
      b.dispose();
    }
  });
}

// The cpu entry never stages (directMaxK is unbounded) and takes no vec4 loads; its tile shape
// with both forced on checks the staged vec4 loaders for that geometry too.
test('the staged vec4 loaders validate with the cpu tile shape', async (t) => {
  const tiles = { ...TILE_CONFIGS.cpu, name: 'cpu-staged', directMaxK: 32, vec4: true };
  const b = await WebGPUBackend.create({ gpu: create(['backend=null']), checkKeys: true, tiles });
  await validate(b, calls.filter((c) => GEMM_OPS.has(c.op)), t);
  b.dispose();
});

test('fused chains through every elementwise op and dtype validate', async (t) => {
  const shape = [2, 3];
  const data = (dtype: DType, n = 6) => ({ shape: n === 1 ? [] : shape, dtype, dataId: backend.write(allocArray(dtype, n), { shape: n === 1 ? [] : shape, dtype }) });
  const apply = (op: string, inputs: ReturnType<typeof data>[], dtype: DType, attrs = {}) => {
    const [out] = webgpuKernels[op]!({ backend, inputs, attrs, outputs: [{ shape, dtype }] });
    return { shape, dtype, dataId: out! };
  };
  backend.device.pushErrorScope('validation');
  const before = backend.context.dispatched;
  let x = data('float32');
  for (const op of ['neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh']) x = apply(op, [x], 'float32');
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum']) x = apply(op, [x, op === 'mul' ? data('float32', 1) : data('float32')], 'float32');
  const mask = apply('less', [x, data('float32', 1)], 'bool');
  let n = apply('cast', [apply('equal', [mask, data('bool')], 'bool')], 'int32', { dtype: 'int32' });
  for (const op of ['neg', 'abs', 'relu']) n = apply(op, [n], 'int32');
  for (const op of ['add', 'sub', 'mul', 'div', 'pow', 'maximum']) n = apply(op, [n, data('int32', op === 'add' ? 1 : 6)], 'int32');
  const y = apply('where', [mask, apply('cast', [n], 'float32', { dtype: 'float32' }), x], 'float32');
  backend.fuser.realize(y.dataId);
  backend.context.flush();
  const error = await backend.device.popErrorScope();
  t.is(error?.message ?? null, null);
  // Every intermediate here is still held, so each is written: kernels are cut by the bindings.
  t.log(`${backend.context.dispatched - before} fused kernels for 32 ops`);
});
