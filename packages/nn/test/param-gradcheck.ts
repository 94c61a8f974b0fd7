import { Generator, mul, noGrad, randn, sum, tensor, tidy, type Tensor } from '@fovea/core';
import type { Module } from '../src/index.js';

const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));

/**
 * Finite-difference check of a module's parameter gradients (the notes' §3.3 recipe): the output
 * is projected on a fixed random direction, each parameter element is nudged by ±eps in place,
 * and the centred difference is compared with backward's gradient. Returns the relative error
 * ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) per parameter name.
 */
export function parameterGradErrors(module: Module, inputs: Tensor[], eps = 1e-3): Record<string, number> {
  const direction = noGrad(() => tidy(() => randn(module.call(...inputs).shape, { generator: new Generator(7) })));
  const objective = () => sum(mul(module.call(...inputs), direction));
  module.zeroGrad();
  tidy(() => objective().backward());
  const errors: Record<string, number> = {};
  for (const [name, p] of module.namedParameters()) {
    const analytic = [...p.grad!.dataSync()];
    const base = Float32Array.from(p.dataSync());
    const at = (values: Float32Array) => noGrad(() => tidy(() => (p.assign(tensor(values, p.shape)), objective().item())));
    const numeric = analytic.map((_, j) => {
      const saved = base[j]!;
      const hi = (base[j] = saved + eps);
      const plus = at(base);
      const lo = (base[j] = saved - eps);
      const minus = at(base);
      base[j] = saved;
      return (plus - minus) / (Math.fround(hi) - Math.fround(lo));
    });
    at(base);
    const diff = analytic.map((a, j) => a - numeric[j]!);
    errors[name] = norm(diff) / Math.max(norm(analytic), norm(numeric), 1e-12);
  }
  direction.dispose();
  module.zeroGrad();
  return errors;
}
