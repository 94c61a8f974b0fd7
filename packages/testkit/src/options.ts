/** The groups of checks the kit runs, in order. */
export const GROUPS = ['notes', 'golden', 'gradcheck', 'fused', 'edges', 'dtypes', 'random', 'errors', 'memory'] as const;
export type Group = (typeof GROUPS)[number];

/** Relative-error bounds (‖out − ref‖ / ‖ref‖). */
export interface Tolerances {
  /** Elementwise and movement ops (default 1e-5). */
  elementwise: number;
  /** Matmul, conv, pooling, reductions, norms, losses and every gradient (default 1e-4). */
  other: number;
  /** Finite differences against analytic gradients, as `gradCheck` measures it (default 1e-2). */
  gradCheck: number;
}

export const DEFAULT_TOLERANCES: Tolerances = { elementwise: 1e-5, other: 1e-4, gradCheck: 1e-2 };

export interface ConformanceOptions {
  /** Looser bounds for a backend whose kernels trade precision for speed. */
  tolerance?: Partial<Tolerances>;
  /**
   * Checks to skip, by name without the backend prefix (`golden/conv2d/n1c1h5w5o1k3x3s1p0d1g1`),
   * each with the reason; the reason appears in the test title. An entry that names no check
   * fails, so the list cannot go stale.
   */
  skip?: Readonly<Record<string, string>>;
  /** Runs only these groups (all by default). */
  only?: readonly Group[];
}
