import type { GpuWorkload } from './workloads.js';

/** One comparison of a fovea row's output with a peer's on the same weights and input. */
export interface Check {
  workload: string;
  /** The fovea row: `fovea-webgpu`, or one with another tile configuration (`fovea-webgpu[large]`). */
  subject: string;
  peer: string;
  /** max |fovea − peer| / max |peer|. */
  error: number;
  tolerance: number;
  ok: boolean;
}

/** Outputs by row name, then workload id. */
export type Outputs = Map<string, Map<string, Float32Array>>;

// fp32 kernels summing in different orders agree to ~1e-5 of the largest value (GEMM entries, logits; a
// training row's loss and gradients, measured so against PyTorch on the CPU); a wrong kernel is
// off by far more. (Losses after an Adam step are no check: its first step moves every weight by
// ±lr, whichever way a gradient's rounding tips it.)
const TOLERANCE = 1e-3;

function relativeError(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return Number.isFinite(diff) ? diff / (scale || 1) : Infinity;
}

const isFovea = (row: string) => row.startsWith('fovea-');

/**
 * Each fovea row's outputs (GEMM entries, logits; a training step's loss and gradients) against every peer's:
 * the tile-tuning rows too, so a configuration that computes wrong sums cannot pass as fast.
 */
export function compareOutputs(outputs: Outputs, workloads: readonly GpuWorkload[]): Check[] {
  const rows = [...outputs];
  return rows.filter(([row]) => isFovea(row)).flatMap(([subject, mine]) =>
    workloads.flatMap((w) => {
      const own = mine.get(w.id);
      if (!own) return [];
      return rows.flatMap(([peer, theirs]) => {
        const other = theirs.get(w.id);
        if (isFovea(peer) || !other) return [];
        const error = relativeError(own, other);
        return [{ workload: w.title, subject, peer, error, tolerance: TOLERANCE, ok: error <= TOLERANCE }];
      });
    }),
  );
}

export function formatChecks(checks: readonly Check[]): string[] {
  if (!checks.length) return ['- no outputs to compare (every fovea row or every peer missing)'];
  return checks.map((c) => `- ${c.ok ? 'ok' : 'MISMATCH'}: ${c.subject} vs ${c.peer}, ${c.workload}: max error ${c.error.toExponential(2)} of the largest value (tolerance ${c.tolerance})`);
}
