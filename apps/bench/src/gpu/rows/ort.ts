/**
 * ort-webgpu: onnxruntime-web 1.30's WebGPU execution provider (its asyncify wasm build, which
 * drives WebGPU through `navigator.gpu`) on the ONNX graphs the bench writes from the specs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';
import * as ort from 'onnxruntime-web/webgpu';
import { makeInput } from '../../models/spec.js';
import { gemmModel, networkModel } from '../../onnx/models.js';
import type { Prepared, Row } from '../../workloads.js';
import { ORT_WASM } from '../payload.js';
import { gemmProbe, type GpuWorkload } from '../workloads.js';

function wasmBinary(): Uint8Array {
  const file = join(dirname(fileURLToPath(import.meta.url)), `${ORT_WASM}.br`);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`pnpm bench:gpu:prepare\` and this bench as its bundle`);
  return brotliDecompressSync(readFileSync(file));
}

function feeds(w: GpuWorkload): Record<string, ort.Tensor> {
  if (w.kind === 'gemm') {
    const shape = [w.n, w.n];
    return { a: new ort.Tensor('float32', makeInput(shape, 1), shape), b: new ort.Tensor('float32', makeInput(shape, 2), shape) };
  }
  return { x: new ort.Tensor('float32', makeInput(w.net.input), w.net.input) };
}

async function prepare(w: GpuWorkload): Promise<Prepared> {
  if (w.kind === 'train') return { skip: 'onnxruntime-web ships no training' };
  const model = w.kind === 'gemm' ? gemmModel(w.n, gemmProbe(w.n)) : networkModel(w.net, 1000);
  const session = await ort.InferenceSession.create(model, { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
  const input = feeds(w);
  const output = async () => {
    const out = await session.run(input);
    const values = out.y!.data as Float32Array;
    for (const t of Object.values(out)) t.dispose();
    return values;
  };
  return { run: async () => void (await output()), output, dispose: () => void session.release() };
}

export async function ortWebgpuRow(): Promise<Row<GpuWorkload>> {
  ort.env.wasm.wasmBinary = wasmBinary();
  // One wasm thread: the EP computes on the GPU, and more threads would start workers.
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = 'error';
  return { name: 'ort-webgpu', threads: `GPU (onnxruntime-web ${ort.env.versions.web}, WebGPU EP)`, prepare };
}
