/** Reads the PyTorch golden files shipped in the package's golden/ folder. */
import { readFileSync } from 'node:fs';

export interface GoldenTensor {
  shape: number[];
  data: number[];
}

export interface GoldenCase {
  name: string;
  op: string;
  attrs: Record<string, any>;
  inputs: Record<string, GoldenTensor>;
  outputs: Record<string, GoldenTensor>;
  grad_seed?: Record<string, GoldenTensor>;
  grads?: Record<string, GoldenTensor>;
}

/** The cases of a golden file in PyTorch's case format (packages may ship their own). */
export function readGoldenFile(url: URL): GoldenCase[] {
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: GoldenCase[] }).cases;
}

/** The cases of golden/<file>.json. This module sits one level below the package root in src/ and in dist/. */
export function loadGolden(file: string): GoldenCase[] {
  return readGoldenFile(new URL(`../golden/${file}.json`, import.meta.url));
}
