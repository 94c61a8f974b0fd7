import { grad, noGrad } from './autograd.js';
import { randn, tensor } from './creation.js';
import { tidy } from './engine.js';
import { mul } from './ops/elementwise.js';
import { sum } from './ops/reduce.js';
import { Generator } from './random.js';
import type { Tensor } from './tensor.js';

export interface GradCheckOptions {
  /** Step of the centred differences (default 1e-3, suited to float32). */
  eps?: number;
  /** Largest relative error accepted (default 1e-2, the notes' threshold for float32 kinks). */
  tolerance?: number;
  /** Seed of the random projection that turns a tensor output into a scalar. */
  seed?: number;
}

export interface InputReport {
  index: number;
  /** ‖analytic − numeric‖ / max(‖analytic‖, ‖numeric‖) (notes §3.3, over the whole tensor). */
  relError: number;
  maxAbsError: number;
  analytic: Float32Array;
  numeric: Float32Array;
}

export interface GradCheckReport {
  ok: boolean;
  maxRelError: number;
  inputs: InputReport[];
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

function compare(index: number, analytic: Float32Array, numeric: Float32Array): InputReport {
  const diff = analytic.map((a, i) => a - numeric[i]!);
  const scale = Math.max(norm(analytic), norm(numeric));
  const relError = scale === 0 ? 0 : norm(diff) / scale;
  const maxAbsError = diff.reduce((m, d) => Math.max(m, Math.abs(d)), 0);
  return { index, relError, maxAbsError, analytic, numeric };
}

/**
 * Checks `fn`'s analytic gradients against centred finite differences at `inputs` (§3.3 of the
 * notes). Tensor outputs are projected on a fixed random direction. Only float32 inputs are
 * checked. Asynchronous, so it runs on backends that read asynchronously too.
 */
export async function gradCheck(fn: (...xs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradCheckOptions = {}): Promise<GradCheckReport> {
  const eps = options.eps ?? 1e-3;
  const tolerance = options.tolerance ?? 1e-2;
  const probe = tidy(() => noGrad(() => fn(...inputs)));
  const direction = randn(probe.shape, { generator: new Generator(options.seed ?? 1234) });
  probe.dispose();
  const objective = (xs: Tensor[]) => sum(mul(fn(...xs), direction));

  const leaves = inputs.map((t) => (t.dtype === 'float32' ? t.detach().requiresGrad_() : t));
  const analytic = tidy(() => grad(objective(leaves), leaves.filter((t) => t.requiresGrad)));
  const reports: InputReport[] = [];
  let k = 0;
  for (let i = 0; i < inputs.length; i++) {
    if (!leaves[i]!.requiresGrad) continue;
    const g = analytic[k++];
    const a = g ? new Float32Array(await g.data()) : new Float32Array(inputs[i]!.size);
    reports.push(compare(i, a, await numericGradient(objective, inputs, i, eps)));
    g?.dispose();
  }
  for (const t of leaves) if (t.requiresGrad) t.dispose();
  direction.dispose();
  const maxRelError = reports.reduce((m, r) => Math.max(m, r.relError), 0);
  return { ok: maxRelError <= tolerance, maxRelError, inputs: reports };
}

async function numericGradient(objective: (xs: Tensor[]) => Tensor, inputs: readonly Tensor[], which: number, eps: number): Promise<Float32Array> {
  const base = new Float32Array(await inputs[which]!.data());
  const out = new Float32Array(base.length);
  const evaluate = async (values: Float32Array) => {
    const y = noGrad(() =>
      tidy(() => {
        const xs = inputs.map((t, i) => (i === which ? tensor(values, t.shape) : t));
        return objective(xs);
      }),
    );
    const v = (await y.data())[0]!;
    y.dispose();
    return v;
  };
  for (let j = 0; j < base.length; j++) {
    const saved = base[j]!;
    // The step actually taken after rounding to float32, not the nominal 2·eps.
    const hi = (base[j] = saved + eps);
    const plus = await evaluate(base);
    const lo = (base[j] = saved - eps);
    const minus = await evaluate(base);
    base[j] = saved;
    out[j] = (plus - minus) / (Math.fround(hi) - Math.fround(lo));
  }
  return out;
}
