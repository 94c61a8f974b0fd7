import type { Timing } from './harness.js';

/** The benchmark's workloads, in table order. */
export const WORKLOADS = [
  { id: 'gemm', title: 'GEMM 1024³', unit: 'GFLOP/s', flops: 2 * 1024 ** 3 },
  { id: 'conv', title: 'conv 3×3 64→64 56×56', unit: 'ms' },
  { id: 'resnet18', title: 'ResNet-18 b1 224²', unit: 'ms' },
  { id: 'squeezenet', title: 'SqueezeNet 1.1 b1 224²', unit: 'ms' },
  { id: 'train', title: 'CIFAR CNN train step b64', unit: 'ms' },
] as const;

export type WorkloadId = (typeof WORKLOADS)[number]['id'];

/** The conv workload's geometry: [N, C, H, W] input, [O, C, K, K] weights, padding 1. */
export const CONV = { input: [1, 64, 56, 56] as const, weight: [64, 64, 3, 3] as const, pad: 1 };

/**
 * One row's way of running one workload: a step to time, a timing taken elsewhere (a
 * subprocess that times itself), or why it cannot run.
 */
export type Prepared =
  | {
      run: () => Promise<void>;
      /** The step's result (logits, losses), for checks across rows; runs the step itself. */
      output?: () => Promise<Float32Array>;
      dispose?: () => void;
    }
  | { measured: Timing }
  | { skip: string };

export interface Row<W = WorkloadId> {
  name: string;
  /** Threads the row computes with, and why, as reported in the table. */
  threads: string;
  prepare(workload: W): Promise<Prepared>;
  /** Runs only when `--rows` names it (too slow for the default table). */
  optIn?: boolean;
  close?(): Promise<void>;
}
