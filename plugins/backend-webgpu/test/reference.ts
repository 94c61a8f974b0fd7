import { JsBackend, kernels as jsKernels } from '@fovea/backend-js';
import type { AdamStepAttrs, TensorSpec, TypedArray } from '@fovea/core';
import { type HostTensor, dtypeOf, randomValues } from './helpers.js';
import type { KernelCall } from './variants.js';

const js = new JsBackend();

/** The reference backend's result for the same kernel call (or this file's, for ops js runs by decomposition). */
export function referenceKernel(op: string, inputs: readonly HostTensor[], attrs: Record<string, unknown>, outputs: readonly TensorSpec[]): TypedArray[] {
  if (op === 'adamStep') return adamStep(inputs.map((x) => x.values as Float32Array), attrs as unknown as AdamStepAttrs);
  const infos = inputs.map((x) => ({ shape: x.shape, dtype: dtypeOf(x.values), dataId: js.write(x.values, { shape: x.shape, dtype: dtypeOf(x.values) }) }));
  return jsKernels[op as keyof typeof jsKernels]!({ backend: js, inputs: infos, attrs, outputs }).map((d) => d.values);
}

// Ops whose float inputs must stay in their domain for a finite result: log/sqrt want x > 0,
// pow a base > 0 (negative bases with fractional exponents are NaN on both sides).
const POSITIVE_FIRST = new Set(['log', 'sqrt', 'pow']);

/** Deterministic inputs for a call: in-range indices, non-zero integer divisors. */
export function inputsFor(call: KernelCall, seed: number): HostTensor[] {
  return call.inputs.map((spec, k) => {
    const n = spec.shape.reduce((a, d) => a * d, 1);
    const r = randomValues(n, seed * 31 + k + 1);
    let values: TypedArray;
    if (spec.dtype === 'bool') values = Uint8Array.from(r, (v) => (v > 0 ? 1 : 0));
    else if (spec.dtype === 'int32' && (call.op === 'gather' || call.op === 'scatterAdd') && k === 1) {
      const axisLen = call.inputs[0]!.shape[call.attrs.axis as number]!;
      values = Int32Array.from(r, (v) => Math.floor(((v + 1) / 2) * axisLen));
    } else if (spec.dtype === 'int32') {
      const nonZero = call.op === 'div' && k === 1;
      values = Int32Array.from(r, (v) => (nonZero ? (v < 0 ? -1 : 1) * (1 + Math.floor(Math.abs(v) * 4)) : Math.round(v * (call.op === 'pow' ? 3 : 5))));
      if (call.op === 'pow' && k === 1) values = values.map(Math.abs);
    } else if (call.op === 'adamStep' && k >= 3) values = r.map(Math.abs); // second moments are ≥ 0
    else values = POSITIVE_FIRST.has(call.op) && k === 0 ? r.map((v) => Math.abs(v) + 0.1) : r;
    return { values, shape: spec.shape };
  });
}

/**
 * core's adamStep decomposition, element by element: each scalar and each operation
 * rounded to float32, as the ops it is made of round them.
 */
function adamStep([p, grad, expAvg, expAvgSq, maxExpAvgSq]: Float32Array[], a: AdamStepAttrs): Float32Array[] {
  const f = Math.fround;
  const n = p!.length;
  const out = Array.from({ length: a.amsgrad ? 4 : 3 }, () => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    let g = grad![i]!;
    let w = p![i]!;
    if (a.weightDecay && a.decoupled) w = f(w * f(1 - a.lr * a.weightDecay));
    else if (a.weightDecay) g = f(g + f(w * f(a.weightDecay)));
    const m = f(f(expAvg![i]! * f(a.beta1)) + f(g * f(1 - a.beta1)));
    const v = f(f(expAvgSq![i]! * f(a.beta2)) + f(f(g * g) * f(1 - a.beta2)));
    const vMax = a.amsgrad ? Math.max(maxExpAvgSq![i]!, v) : v;
    const denom = f(f(f(Math.sqrt(vMax)) / f(Math.sqrt(1 - a.beta2 ** a.step))) + f(a.eps));
    const next = f(w - f(f(m / denom) * f(a.lr / (1 - a.beta1 ** a.step))));
    [next, m, v, vMax].slice(0, out.length).forEach((value, k) => (out[k]![i] = value));
  }
  return out;
}
