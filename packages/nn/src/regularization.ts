/**
 * Weight penalties of the notes' §3.1, to add to a data loss (loss = data + λ·R(W)), and the
 * max-norm constraint, applied after each update.
 */
import { abs, add, clamp, div, mul, noGrad, sqrt, sum, tidy, ValueError, type Tensor } from '@fovea/core';

type Weights = Tensor | readonly Tensor[];

const asList = (weights: Weights): readonly Tensor[] => (Array.isArray(weights) ? weights : [weights as Tensor]);

function total(weights: Weights, term: (w: Tensor) => Tensor): Tensor {
  const list = asList(weights);
  if (list.length === 0) throw new ValueError('a penalty needs at least one tensor');
  return list.map((w) => sum(term(w))).reduce((a, b) => add(a, b));
}

/** λ·Σ w² (the squared Frobenius norm). */
export function l2Penalty(weights: Weights, lambda = 1): Tensor {
  return mul(total(weights, (w) => mul(w, w)), lambda);
}

/** λ·Σ |w|. */
export function l1Penalty(weights: Weights, lambda = 1): Tensor {
  return mul(total(weights, abs), lambda);
}

/** λ·Σ (β·w² + |w|), the notes' elastic net. */
export function elasticNetPenalty(weights: Weights, lambda = 1, beta = 1): Tensor {
  return mul(total(weights, (w) => add(mul(mul(w, w), beta), abs(w))), lambda);
}

/**
 * Max-norm constraint: rescales, in place, each unit's incoming weight vector (each slice along
 * dim 0, so each row of a Linear weight or each filter of a Conv2d) whose L2 norm exceeds
 * `maxNorm` down to that norm.
 */
export function applyMaxNorm(weights: Weights, maxNorm: number): void {
  if (!(maxNorm > 0)) throw new ValueError(`applyMaxNorm: maxNorm must be positive, got ${maxNorm}`);
  for (const w of asList(weights)) {
    noGrad(() =>
      tidy(() => {
        const dims = w.shape.map((_, i) => i).slice(1);
        const norms = dims.length ? sqrt(sum(mul(w, w), dims, true)) : abs(w);
        const scale = clamp(div(maxNorm, add(norms, 1e-7)), undefined, 1);
        w.assign(mul(w, scale));
      }),
    );
  }
}
