import test from 'ava';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendError } from '@fovea/core';
import { createWasmBackend, setWasmPath, WasmDisposedError, WasmLoadError, WasmMemoryError } from '../src/index.js';

const spec = { shape: [3], dtype: 'float32' as const };

// setWasmPath is process-wide: these tests run one after another.
test.afterEach.always(() => setWasmPath(undefined));

test.serial('the single-threaded module starts and says what it runs', async (t) => {
  const b = await createWasmBackend({ threads: 1 });
  t.deepEqual(b.info, { variant: 'simd', simd: true, threads: 1 });
  t.is(b.memoryInfo().wasmThreads, 1);
  b.dispose();
});

test.serial('two threads start the threaded module and its worker pool', async (t) => {
  const b = await createWasmBackend({ threads: 2 });
  t.deepEqual(b.info, { variant: 'threads', simd: true, threads: 2 });
  b.dispose();
});

test.serial('a missing .wasm is a WasmLoadError (a BackendError) naming the file and the fix', async (t) => {
  setWasmPath(join(tmpdir(), 'fovea-no-such-dir'));
  const err = await t.throwsAsync(createWasmBackend({ threads: 1 }), { instanceOf: WasmLoadError });
  t.true(err instanceof BackendError);
  t.regex(err!.message, /fovea-no-such-dir\/fovea-kernels-simd\.wasm/);
  t.regex(err!.message, /rust-kernels\/build\.mjs|setWasmPath/);
});

test.serial('a corrupt .wasm is a WasmLoadError saying it is not a valid module', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-wasm-'));
  writeFileSync(join(dir, 'fovea-kernels-simd.wasm'), 'not wasm at all');
  setWasmPath(dir);
  await t.throwsAsync(createWasmBackend({ threads: 1 }), { instanceOf: WasmLoadError, message: /not a valid WebAssembly module/ });
});

test.serial('a corrupt threaded module falls back to one thread and says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fovea-wasm-'));
  writeFileSync(join(dir, 'fovea-kernels-threads.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 99]));
  // Only the threaded file is overridden; the single-threaded one loads from the package.
  setWasmPath({ threads: join(dir, 'fovea-kernels-threads.wasm') });
  const b = await createWasmBackend({ threads: 2 });
  t.is(b.info.threads, 1);
  t.regex(b.info.note ?? '', /single-threaded.*not a valid WebAssembly module/);
  b.dispose();
});

test.serial('an allocation the heap cannot hold is a WasmMemoryError, and the heap stays usable', async (t) => {
  const b = await createWasmBackend({ threads: 2 });
  const huge = { shape: [1024, 1024, 1024], dtype: 'float32' as const };
  t.throws(() => b.alloc(huge), { instanceOf: WasmMemoryError, message: /could not grow to allocate 4294967296 bytes/ });
  // 1.5 GiB fits once in the threaded module's 2 GiB memory, not twice: the growth fails.
  const big = { shape: [384, 1024, 1024], dtype: 'float32' as const };
  const first = b.alloc(big);
  t.throws(() => b.alloc(big), { instanceOf: WasmMemoryError });
  b.disposeData(first);
  const small = b.write(new Float32Array([1, 2, 3]), spec);
  t.deepEqual([...b.readSync(small, spec)], [1, 2, 3]);
  b.disposeData(small);
  t.is(b.memoryInfo().wasmBuffers, 0);
  b.dispose();
});

test.serial('use after dispose is a WasmDisposedError; late frees from the engine are ignored', async (t) => {
  const b = await createWasmBackend({ threads: 1 });
  const data = b.write(new Float32Array([1, 2, 3]), spec);
  b.dispose();
  t.throws(() => b.write(new Float32Array(3), spec), { instanceOf: WasmDisposedError });
  t.throws(() => b.readSync(data, spec), { instanceOf: WasmDisposedError });
  await t.throwsAsync(b.read(data, spec), { instanceOf: WasmDisposedError });
  t.notThrows(() => b.disposeData(data));
});

test.serial('writes are copies, reads survive heap growth, and memoryInfo counts live buffers', async (t) => {
  const b = await createWasmBackend({ threads: 1 });
  const source = new Float32Array([1, 2, 3]);
  const data = b.write(source, spec);
  source[0] = 9;
  const heapBefore = b.memoryInfo().wasmHeapBytes!;
  const grow = b.alloc({ shape: [64, 1024, 1024], dtype: 'float32' });
  t.true(b.memoryInfo().wasmHeapBytes! > heapBefore);
  t.deepEqual([...b.readSync(data, spec)], [1, 2, 3]);
  t.like(b.memoryInfo(), { wasmBuffers: 2, wasmBytes: 12 + 256 * 1024 * 1024 });
  b.disposeData(grow);
  b.disposeData(data);
  t.like(b.memoryInfo(), { wasmBuffers: 0, wasmBytes: 0 });
  b.dispose();
});
