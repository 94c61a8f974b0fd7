/**
 * A line search for the strong Wolfe conditions (Nocedal & Wright, Algorithms 3.5 and 3.6):
 * bracket a step with sufficient decrease, then zoom in on it by safeguarded cubic interpolation.
 * Works on host vectors; `evaluate(t)` returns the loss and gradient at x + t·d.
 */

export interface Point {
  t: number;
  f: number;
  g: Float64Array;
  /** Directional derivative g·d. */
  gtd: number;
}

export interface LineSearchOptions {
  /** Sufficient-decrease constant (Armijo), default 1e-4. */
  c1?: number;
  /** Curvature constant, default 0.9. */
  c2?: number;
  /** Stop zooming once the bracket is narrower than this along d (default 1e-9). */
  toleranceChange?: number;
  maxEvals?: number;
}

export interface LineSearchResult extends Point {
  evals: number;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Minimiser of the cubic matching f and f' at both points, clamped to [lo, hi]; bisects without one. */
function cubicMin(a: Point, b: Point, lo: number, hi: number): number {
  const d1 = a.gtd + b.gtd - (3 * (a.f - b.f)) / (a.t - b.t);
  const disc = d1 * d1 - a.gtd * b.gtd;
  if (disc < 0) return (lo + hi) / 2;
  const d2 = Math.sign(b.t - a.t) * Math.sqrt(disc);
  const t = b.t - (b.t - a.t) * ((b.gtd + d2 - d1) / (b.gtd - a.gtd + 2 * d2));
  return Number.isFinite(t) ? Math.min(Math.max(t, lo), hi) : (lo + hi) / 2;
}

export async function strongWolfe(
  evaluate: (t: number) => Promise<{ f: number; g: Float64Array }>,
  d: Float64Array,
  start: Point,
  t0: number,
  options: LineSearchOptions = {},
): Promise<LineSearchResult> {
  const c1 = options.c1 ?? 1e-4;
  const c2 = options.c2 ?? 0.9;
  const maxEvals = options.maxEvals ?? 25;
  const dNorm = Math.max(...d.map(Math.abs));
  let evals = 0;
  const at = async (t: number): Promise<Point> => {
    evals++;
    const { f, g } = await evaluate(t);
    return { t, f, g, gtd: dot(g, d) };
  };
  const armijo = (p: Point) => p.f <= start.f + c1 * p.t * start.gtd;
  const curvature = (p: Point) => Math.abs(p.gtd) <= -c2 * start.gtd;

  /** Algorithm 3.6: `lo` satisfies sufficient decrease and has the lowest loss seen; `hi` brackets. */
  const zoom = async (lo: Point, hi: Point): Promise<LineSearchResult> => {
    while (evals < maxEvals && Math.abs(hi.t - lo.t) * dNorm >= (options.toleranceChange ?? 1e-9)) {
      const [a, b] = lo.t < hi.t ? [lo.t, hi.t] : [hi.t, lo.t];
      let t = cubicMin(lo, hi, a, b);
      // Stay clear of the ends so the bracket keeps shrinking.
      if (Math.min(t - a, b - t) < 0.1 * (b - a)) t = (a + b) / 2;
      const p = await at(t);
      if (!armijo(p) || p.f >= lo.f) hi = p;
      else {
        if (curvature(p)) return { ...p, evals };
        if (p.gtd * (hi.t - lo.t) >= 0) hi = lo;
        lo = p;
      }
    }
    return { ...lo, evals };
  };

  // Algorithm 3.5: grow the step until it brackets an acceptable one.
  let prev = start;
  let t = t0;
  while (evals < maxEvals) {
    const p = await at(t);
    if (!armijo(p) || (evals > 1 && p.f >= prev.f)) return zoom(prev, p);
    if (curvature(p)) return { ...p, evals };
    if (p.gtd >= 0) return zoom(p, prev);
    t = cubicMin(prev, p, t + 0.01 * (t - prev.t), 10 * t);
    prev = p;
  }
  return { ...prev, evals };
}
