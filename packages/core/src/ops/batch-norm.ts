/**
 * Batch normalisation. In training its statistics and normalisation are one op, `batchNormTrain`
 * (PyTorch's native_batch_norm), with the backward pass written out: two per-channel sums and one
 * elementwise pass, where differentiating the decomposition op by op made seven sums and a dozen
 * elementwise passes over the activation.
 */
import { noGrad } from '../autograd.js';
import type { TensorSpec } from '../backend.js';
import { ShapeError, ValueError } from '../errors.js';
import type { GradContext } from '../op.js';
import { runOp } from '../engine.js';
import { fmtShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add, div, mul, sqrt, sub } from './elementwise.js';
import { reshape } from './movement.js';
import { mean, sum } from './reduce.js';
import { defineOps, requireDType, requireFinite } from './util.js';

export interface BatchNormOptions {
  training?: boolean;
  momentum?: number;
  eps?: number;
}

/** Inputs x, then weight [C] only when `hasWeight`, then bias [C] only when `hasBias`. */
export interface BatchNormTrainAttrs {
  eps: number;
  hasWeight: boolean;
  hasBias: boolean;
}

const OP = 'batchNormTrain';

/** Dims reduced per channel (all but dim 1), and the channel vector's broadcast shape. */
function channelAxes(x: TensorSpec): { axes: number[]; bshape: number[]; c: number } {
  const c = x.shape[1]!;
  return { axes: x.shape.map((_, i) => i).filter((i) => i !== 1), bshape: x.shape.map((_, i) => (i === 1 ? c : 1)), c };
}

function unpack(inputs: readonly Tensor[], a: BatchNormTrainAttrs): { x: Tensor; weight: Tensor | null; bias: Tensor | null } {
  return { x: inputs[0]!, weight: a.hasWeight ? inputs[1]! : null, bias: a.hasBias ? inputs[a.hasWeight ? 2 : 1]! : null };
}

function infer(inputs: readonly TensorSpec[], a: BatchNormTrainAttrs): TensorSpec[] {
  const expected = 1 + Number(a.hasWeight) + Number(a.hasBias);
  if (inputs.length !== expected) throw new ValueError(`${OP}: expected ${expected} inputs (x${a.hasWeight ? ', weight' : ''}${a.hasBias ? ', bias' : ''}), got ${inputs.length}`);
  const x = inputs[0]!;
  requireDType(x, ['float32'], OP, 'x');
  if (x.shape.length < 2) throw new ShapeError(`${OP}: input must be [N, C, …], got ${fmtShape(x.shape)}`);
  const c = x.shape[1]!;
  for (const t of inputs.slice(1)) {
    requireDType(t, ['float32'], OP, 'weight and bias');
    if (t.shape.length !== 1 || t.shape[0] !== c) throw new ShapeError(`${OP}: weight and bias must be [${c}] for input ${fmtShape(x.shape)}, got ${fmtShape(t.shape)}`);
  }
  requireFinite(a.eps, OP, 'eps');
  return [{ shape: x.shape, dtype: 'float32' }, { shape: [c], dtype: 'float32' }, { shape: [c], dtype: 'float32' }];
}

/** (x − μ)/√(σ² + ε)·γ + β with μ and σ² broadcast over the channels (`centred` is x − μ). */
function normalize(centred: Tensor, v: Tensor, eps: number, weight: Tensor | null, bias: Tensor | null, bshape: number[]): Tensor {
  let y = div(centred, sqrt(add(v, eps)));
  if (weight) y = mul(y, reshape(weight, bshape));
  if (bias) y = add(y, reshape(bias, bshape));
  return y;
}

/** y, and the batch's mean and (biased) variance per channel. */
function decompose(inputs: readonly Tensor[], a: BatchNormTrainAttrs): Tensor[] {
  const { x, weight, bias } = unpack(inputs, a);
  const { axes, bshape, c } = channelAxes(x);
  const mu = mean(x, axes, true);
  const centred = sub(x, mu);
  const v = mean(mul(centred, centred), axes, true);
  return [normalize(centred, v, a.eps, weight, bias, bshape), reshape(mu, [c]), reshape(v, [c])];
}

/**
 * With x̂ = (x − μ)/σ and n values a channel: dβ = Σ dy, dγ = Σ dy·x̂, and
 * dx = γ/σ · (dy − dβ/n − x̂·dγ/n). The statistics outputs are saved values for the running
 * averages, not differentiated (their gradients are ignored).
 */
function grad([dy]: readonly Tensor[], { inputs, outputs: [, mu, v], attrs }: GradContext<BatchNormTrainAttrs>): (Tensor | null)[] {
  const { x, weight, bias } = unpack(inputs, attrs);
  const { axes, bshape } = channelAxes(x);
  const n = x.size / x.shape[1]!;
  const invStd = div(1, sqrt(add(reshape(v!, bshape), attrs.eps)));
  const xhat = mul(sub(x, reshape(mu!, bshape)), invStd);
  const dBias = sum(dy!, axes, true);
  const dWeight = sum(mul(dy!, xhat), axes, true);
  const scale = weight ? mul(reshape(weight, bshape), invStd) : invStd;
  const dx = x.requiresGrad ? mul(scale, sub(sub(dy!, div(dBias, n)), mul(xhat, div(dWeight, n)))) : null;
  const grads = [dx];
  if (weight) grads.push(weight.requiresGrad ? reshape(dWeight, [weight.size]) : null);
  if (bias) grads.push(bias.requiresGrad ? reshape(dBias, [bias.size]) : null);
  return grads;
}

defineOps({ name: OP, infer, decompose, grad });

/**
 * Batch normalisation over every dim but the channel dim 1. In training it normalises with the
 * batch statistics and updates `runningMean`/`runningVar` in place (unbiased variance, as
 * PyTorch does); in eval it uses the running statistics.
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: BatchNormOptions = {},
): Tensor {
  const training = options.training ?? false;
  const momentum = requireFinite(options.momentum ?? 0.1, 'batchNorm', 'momentum');
  const eps = requireFinite(options.eps ?? 1e-5, 'batchNorm', 'eps');
  if (x.ndim < 2) throw new ShapeError(`batchNorm: input must be [N, C, …], got ${fmtShape(x.shape)}`);
  const { bshape, c } = channelAxes(x);
  for (const [name, t] of [['runningMean', runningMean], ['runningVar', runningVar], ['weight', weight], ['bias', bias]] as const) {
    if (t && t.size !== c) throw new ShapeError(`batchNorm: ${name} must have ${c} entries (channels of ${fmtShape(x.shape)}), got ${fmtShape(t.shape)}`);
  }
  if (training || !runningMean || !runningVar) {
    const n = x.size / c;
    if (training && n <= 1) throw new ValueError(`batchNorm: training needs more than one value per channel, got input ${fmtShape(x.shape)}`);
    const attrs: BatchNormTrainAttrs = { eps, hasWeight: !!weight, hasBias: !!bias };
    const [y, mu, v] = runOp(OP, [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])], attrs) as [Tensor, Tensor, Tensor];
    if (training && runningMean && runningVar) {
      noGrad(() => {
        runningMean.assign(add(mul(runningMean, 1 - momentum), mul(mu, momentum)));
        runningVar.assign(add(mul(runningVar, 1 - momentum), mul(v, (momentum * n) / (n - 1))));
      });
    }
    return y;
  }
  return normalize(sub(x, reshape(runningMean, bshape)), reshape(runningVar, bshape), eps, weight ?? null, bias ?? null, bshape);
}
