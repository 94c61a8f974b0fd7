import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeInput } from '../models/spec.js';
import { MODEL_FILES, writeModels } from '../onnx/generate.js';
import { CONV, type Prepared, type Row, type WorkloadId } from '../workloads.js';

/** The API both onnxruntime-web and onnxruntime-node share. */
type Ort = typeof import('onnxruntime-node');

function feeds(ort: Ort, workload: WorkloadId): Record<string, InstanceType<Ort['Tensor']>> {
  if (workload === 'gemm') {
    return { a: new ort.Tensor('float32', makeInput([1024, 1024], 1), [1024, 1024]), b: new ort.Tensor('float32', makeInput([1024, 1024], 2), [1024, 1024]) };
  }
  if (workload === 'conv') return { x: new ort.Tensor('float32', makeInput(CONV.input, 1), [...CONV.input]) };
  return { x: new ort.Tensor('float32', makeInput([1, 3, 224, 224]), [1, 3, 224, 224]) };
}

function ortRow(name: string, threads: string, ort: Ort, dir: string, options: Record<string, unknown>): Row {
  return {
    name,
    threads,
    prepare: async (workload): Promise<Prepared> => {
      if (workload === 'train') return { skip: 'ONNX Runtime (web and node) ships no training in these packages' };
      const session = await ort.InferenceSession.create(readFileSync(join(dir, MODEL_FILES[workload])), options);
      const input = feeds(ort, workload);
      return {
        run: async () => {
          const out = await session.run(input);
          for (const t of Object.values(out)) t.dispose?.();
        },
        dispose: () => void session.release(),
      };
    },
  };
}

/** onnxruntime-web on its wasm backend and onnxruntime-node (native CPU), `threads` each. */
export async function ortRows(threads: number, root: string): Promise<Row[]> {
  const dir = join(root, '.bench-results', 'onnx');
  writeModels(dir);
  const web = (await import('onnxruntime-web')) as unknown as Ort & { env: { wasm: { numThreads: number; simd?: boolean } } };
  web.env.wasm.numThreads = threads;
  const node = await import('onnxruntime-node');
  return [
    ortRow('ort-web (wasm)', `${threads}`, web, dir, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }),
    ortRow('ort-node', `${threads} (native CPU)`, node, dir, { executionProviders: ['cpu'], intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' }),
  ];
}
