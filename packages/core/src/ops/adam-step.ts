/**
 * `adamStep`: one Adam update of a parameter and its moments as a single op, so a backend can
 * run it as one pass over memory instead of a dozen small elementwise ops per parameter (on a
 * small CNN those dominated the optimizer's time). It lives in core, beside `fusedConv2d`, so
 * backends write their kernels against this contract without depending on @fovea/optim. Its
 * decomposition is the reference maths and runs on every backend without a kernel; a kernel
 * must match it operation for operation.
 */
import type { TensorSpec } from '../backend.js';
import { runOp } from '../engine.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { fmtShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, maximum, mul, sqrt, sub } from './elementwise.js';
import { defineOps } from './util.js';

/**
 * The op's attrs (hyperparameters of one step). Inputs are param, grad, expAvg, expAvgSq, then
 * maxExpAvgSq only with `amsgrad`, all float32 of the parameter's shape; outputs are the new
 * param, expAvg, expAvgSq (and maxExpAvgSq).
 */
export interface AdamStepAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: decay the weights directly rather than adding `weightDecay·p` to the gradient. */
  decoupled: boolean;
  /** AMSGrad: inputs and outputs carry the running maximum of the second moment too. */
  amsgrad: boolean;
  /** Counts from 1 (bias correction). */
  step: number;
}

const OP = 'adamStep';

function infer(inputs: readonly TensorSpec[], a: AdamStepAttrs): TensorSpec[] {
  const expected = a.amsgrad ? 5 : 4;
  if (inputs.length !== expected) {
    throw new ValueError(`${OP}: expected ${expected} inputs (param, grad, expAvg, expAvgSq${a.amsgrad ? ', maxExpAvgSq' : ''}), got ${inputs.length}`);
  }
  const [p] = inputs as [TensorSpec];
  for (const t of inputs) {
    if (t.dtype !== 'float32') throw new DTypeError(`${OP}: every input must be float32, got ${t.dtype}`);
    if (!shapesEqual(t.shape, p.shape)) throw new ShapeError(`${OP}: every input must have the parameter's shape ${fmtShape(p.shape)}, got ${fmtShape(t.shape)}`);
  }
  if (!Number.isInteger(a.step) || a.step < 1) throw new ValueError(`${OP}: step must be an integer >= 1, got ${a.step}`);
  return inputs.slice(0, expected - 1).map(() => ({ shape: p.shape, dtype: 'float32' }));
}

function decompose([p, grad, expAvg, expAvgSq, maxExpAvgSq]: readonly Tensor[], a: AdamStepAttrs): Tensor[] {
  let g = grad!;
  let w = p!;
  if (a.weightDecay && a.decoupled) w = mul(p!, 1 - a.lr * a.weightDecay);
  else if (a.weightDecay) g = add(grad!, mul(p!, a.weightDecay));
  const m = add(mul(expAvg!, a.beta1), mul(g, 1 - a.beta1));
  const v = add(mul(expAvgSq!, a.beta2), mul(mul(g, g), 1 - a.beta2));
  const vMax = a.amsgrad ? maximum(maxExpAvgSq!, v) : v;
  const denom = add(div(sqrt(vMax), Math.sqrt(1 - a.beta2 ** a.step)), a.eps);
  const next = sub(w, mul(div(m, denom), a.lr / (1 - a.beta1 ** a.step)));
  return a.amsgrad ? [next, m, v, vMax] : [next, m, v];
}

defineOps({ name: OP, infer, decompose, nondifferentiable: true });

/**
 * Runs one fused Adam update (`torch.optim.Adam`'s per-parameter maths, as `Adam`/`AdamW` in
 * @fovea/optim call it); see `AdamStepAttrs` for the inputs and outputs.
 */
export function adamStep(inputs: readonly Tensor[], attrs: AdamStepAttrs): Tensor[] {
  return runOp(OP, inputs, attrs);
}
