/**
 * Writes the ONNX models of the ONNX Runtime rows: `node --import=tsx src/onnx/generate.ts [DIR]`
 * (default .bench-results/onnx at the repo root). The bench calls `writeModels` itself.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resnet18 } from '../models/resnet18.js';
import { squeezenet11 } from '../models/squeezenet.js';
import { convModel, gemmModel, networkModel } from './models.js';

export const MODEL_FILES = { gemm: 'gemm.onnx', conv: 'conv.onnx', resnet18: 'resnet18.onnx', squeezenet: 'squeezenet1_1.onnx' } as const;

export function writeModels(dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, MODEL_FILES.gemm), gemmModel());
  writeFileSync(join(dir, MODEL_FILES.conv), convModel());
  writeFileSync(join(dir, MODEL_FILES.resnet18), networkModel(resnet18(), 1000));
  writeFileSync(join(dir, MODEL_FILES.squeezenet), networkModel(squeezenet11(), 1000));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../../../.bench-results/onnx'));
  writeModels(dir);
  console.log(`wrote ${Object.values(MODEL_FILES).join(', ')} to ${dir}`);
}
