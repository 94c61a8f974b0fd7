import { abs, add, clamp, div, max, maximum, mul, noGrad, pow, scalar, sqrt, sum, tidy, ValueError, type Tensor } from '@fovea/core';

const withGrads = (params: Iterable<Tensor>) => [...params].filter((p) => p.grad).map((p) => p.grad!);

/**
 * Rescales the gradients of `params` in place so that their joint norm (over all of them, as if
 * concatenated) is at most `maxNorm`; returns the norm before clipping, as a scalar tensor.
 * `normType` is any p ≥ 1 or Infinity.
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): Tensor {
  if (!(maxNorm >= 0)) throw new ValueError(`clipGradNorm: maxNorm must be >= 0, got ${maxNorm}`);
  if (!(normType >= 1)) throw new ValueError(`clipGradNorm: normType must be >= 1 or Infinity, got ${normType}`);
  const grads = withGrads(params);
  return noGrad(() =>
    tidy(() => {
      if (grads.length === 0) return scalar(0);
      const total =
        normType === Infinity
          ? grads.map((g) => max(abs(g))).reduce((a, b) => maximum(a, b))
          : normType === 2
            ? sqrt(grads.map((g) => sum(mul(g, g))).reduce((a, b) => add(a, b)))
            : pow(grads.map((g) => sum(pow(abs(g), normType))).reduce((a, b) => add(a, b)), 1 / normType);
      const coef = clamp(div(maxNorm, add(total, 1e-6)), undefined, 1);
      for (const g of grads) g.assign(mul(g, coef));
      return total;
    }),
  );
}

/** Clamps every gradient element of `params` to [−clipValue, clipValue] in place. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new ValueError(`clipGradValue: clipValue must be >= 0, got ${clipValue}`);
  noGrad(() => tidy(() => withGrads(params).forEach((g) => g.assign(clamp(g, -clipValue, clipValue)))));
}
