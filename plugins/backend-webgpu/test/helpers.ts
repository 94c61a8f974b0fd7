import test from 'ava';
import type { DType, TensorSpec, TypedArray } from '@fovea/core';
import { webgpuKernels } from '../src/kernels/index.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';

/**
 * One backend per test file, with key checking on. Without an adapter the file's GPU tests are
 * registered as skipped, with the reason in their titles.
 */
export async function gpuSuite(): Promise<{ backend: WebGPUBackend | null; gpuTest: typeof test.serial }> {
  try {
    const backend = await WebGPUBackend.create({ checkKeys: true });
    return { backend, gpuTest: test.serial };
  } catch (err) {
    return { backend: null, gpuTest: gpuTestUnless(`no WebGPU adapter: ${(err as Error).message}`) };
  }
}

/** `test.serial`, or — given why the GPU tests cannot run — a registrar that lists them as skipped with the reason. */
export function gpuTestUnless(reason: string | null): typeof test.serial {
  if (reason === null) return test.serial;
  return ((title: string) => test.skip(`${title} — ${reason}`, () => undefined)) as unknown as typeof test.serial;
}

export interface HostTensor {
  readonly values: TypedArray;
  readonly shape: readonly number[];
}

export function dtypeOf(values: TypedArray): DType {
  return values instanceof Float32Array ? 'float32' : values instanceof Int32Array ? 'int32' : 'bool';
}

/** Uploads the inputs, runs one kernel directly (no engine), reads every output back. */
export async function runKernel(
  backend: WebGPUBackend,
  op: string,
  inputs: readonly HostTensor[],
  attrs: Record<string, unknown>,
  outputs: readonly TensorSpec[],
): Promise<TypedArray[]> {
  const kernel = webgpuKernels[op];
  if (!kernel) throw new Error(`no kernel '${op}'`);
  const infos = inputs.map((x) => {
    const spec = { shape: x.shape, dtype: dtypeOf(x.values) };
    return { ...spec, dataId: backend.write(x.values, spec) };
  });
  const outs = kernel({ backend, inputs: infos, attrs, outputs });
  const values = await Promise.all(outs.map((d, k) => backend.read(d, outputs[k]!)));
  const shared = new Set(infos.map((i) => i.dataId));
  for (const d of outs) if (!shared.has(d)) backend.disposeData(d);
  for (const i of infos) backend.disposeData(i.dataId);
  return values;
}

/** Seeded uniform values in [-1, 1): tests are deterministic. */
export function randomValues(n: number, seed = 1): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** ‖a − b‖ / ‖b‖ (plain ‖a − b‖ when b is all zeros). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num) / (den > 0 ? Math.sqrt(den) : 1);
}
