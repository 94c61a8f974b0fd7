import { resnet18 } from '../models/resnet18.js';
import { resnet50 } from '../models/resnet50.js';
import type { Network } from '../models/spec.js';
import type { Column } from '../table.js';

/** A workload of the GPU bench: a column of its table, and what to run. */
export type GpuWorkload = Column & ({ kind: 'gemm'; n: number } | { kind: 'infer' | 'train'; net: Network });

/**
 * Issue #6 §4's workloads: GEMM 4096³, ResNet-18/50 inference at batch 1 and 32, and a ResNet-18
 * training step at batch 32 (Adam), all at 224². `quick` shrinks them to run on a software
 * adapter (GEMM 256³, batch 2, 32×32 images for inference, 64×64 for training) — a check that
 * everything runs and agrees, not a speed test. (With every network at 64×64 the quick run took
 * over 40 minutes on SwiftShader on our 2 shared cores. Training stays at 64×64: at 32×32 the last
 * stage is 1×1, its batch norms see 2 values a channel, and the gradients become so
 * ill-conditioned that PyTorch, Fovea and TF.js disagree by 7 %; at 64×64 they agree to 1e-5.)
 */
export function gpuWorkloads(quick: boolean): GpuWorkload[] {
  const n = quick ? 256 : 4096;
  const size = quick ? 32 : 224;
  const trainSize = quick ? 64 : 224;
  const big = quick ? 2 : 32;
  return [
    { id: 'gemm', title: `GEMM ${n}³`, unit: 'GFLOP/s', flops: 2 * n ** 3, kind: 'gemm', n },
    { id: 'r18-b1', title: `ResNet-18 b1 ${size}²`, unit: 'ms', kind: 'infer', net: resnet18(1, size) },
    { id: 'r18-bN', title: `ResNet-18 b${big} ${size}²`, unit: 'ms', kind: 'infer', net: resnet18(big, size) },
    { id: 'r50-b1', title: `ResNet-50 b1 ${size}²`, unit: 'ms', kind: 'infer', net: resnet50(1, size) },
    { id: 'r50-bN', title: `ResNet-50 b${big} ${size}²`, unit: 'ms', kind: 'infer', net: resnet50(big, size) },
    { id: 'train-r18', title: `ResNet-18 train step b${big} ${trainSize}²`, unit: 'ms', kind: 'train', net: resnet18(big, trainSize) },
  ];
}

/** Class labels of a training batch: 0, 1, 2, … modulo the 1000 classes, the same in every row. */
export function batchLabels(batch: number): Int32Array {
  return Int32Array.from({ length: batch }, (_, i) => i % 1000);
}

/**
 * The layers whose weight gradients a training row reports with its first loss, for the check
 * across rows: the first conv (its gradient has been through every layer's backward) and the head.
 */
export const CHECKED_GRADIENTS = ['conv1', 'fc'] as const;

/**
 * What a GEMM row reads back to finish a timed run: the product's entries at rows and columns
 * `begin`, `begin + step`, … (5 × 5 of them, spread over different tiles and threads), so the
 * time is the GEMM's and not a reduction's or a 64 MB download's, as the cuBLAS row's is (it
 * synchronises). Summing the product (what these rows did before) timed the peers' and fovea's
 * reductions of 16.7 M values, one workgroup each, more than the product.
 */
export function gemmProbe(n: number): { begin: number; step: number } {
  return { begin: 1, step: Math.max(1, n / 4 - 1) };
}

/** Parts of a row's output, end to end. */
export function concatOutputs(parts: readonly ArrayLike<number>[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
