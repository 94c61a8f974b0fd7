/**
 * `fusedConv2d`: act(conv2d(x, w) + bias + residual) as one op, so fast backends can apply the
 * bias, the residual and the activation while the convolution's output is still in cache. Its
 * decomposition runs it on every backend without a kernel.
 */
import type { TensorSpec } from '../backend.js';
import { ShapeError, ValueError } from '../errors.js';
import type { GradContext } from '../op.js';
import { getOp } from '../registry.js';
import { fmtShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { Conv2dOptions, ConvAttrs } from './conv.js';
import { convAttrs, defineOps, requireDType, run } from './util.js';
// Registers conv2d, whose checks and gradient this op reuses.
import './conv.js';

export const FUSED_ACTIVATIONS = ['none', 'relu'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

/**
 * The op's attrs. Inputs are x, w, then bias [O] only when `hasBias`, then residual (the
 * output's shape) only when `hasResidual`.
 */
export interface FusedConvAttrs extends ConvAttrs {
  hasBias: boolean;
  hasResidual: boolean;
  activation: FusedActivation;
}

const OP = 'fusedConv2d';

/** The plain convolution's attrs, so the conv2d it decomposes into sees only its own. */
function convPart({ stride, padding, dilation, groups }: FusedConvAttrs): ConvAttrs {
  return { stride, padding, dilation, groups };
}

/** Splits the inputs by the attrs' flags. */
function unpack(inputs: readonly Tensor[], a: FusedConvAttrs): { x: Tensor; w: Tensor; bias: Tensor | null; residual: Tensor | null } {
  const [x, w] = inputs as [Tensor, Tensor];
  return { x, w, bias: a.hasBias ? inputs[2]! : null, residual: a.hasResidual ? inputs[a.hasBias ? 3 : 2]! : null };
}

function checkFlags(inputs: readonly TensorSpec[], a: FusedConvAttrs): void {
  for (const flag of ['hasBias', 'hasResidual'] as const) {
    if (typeof a[flag] !== 'boolean') throw new ValueError(`${OP}: ${flag} must be a boolean, got ${JSON.stringify(a[flag])}`);
  }
  if (!FUSED_ACTIVATIONS.includes(a.activation)) {
    throw new ValueError(`${OP}: unknown activation ${JSON.stringify(a.activation)}; expected one of ${FUSED_ACTIVATIONS.map((n) => `'${n}'`).join(', ')}`);
  }
  const expected = 2 + Number(a.hasBias) + Number(a.hasResidual);
  if (inputs.length !== expected) {
    throw new ValueError(`${OP}: expected ${expected} inputs (x, w${a.hasBias ? ', bias' : ''}${a.hasResidual ? ', residual' : ''}), got ${inputs.length}`);
  }
}

function infer(inputs: readonly TensorSpec[], a: FusedConvAttrs): TensorSpec[] {
  checkFlags(inputs, a);
  const [x, w] = inputs as [TensorSpec, TensorSpec];
  // conv2d's own checks, with its typed errors.
  const [out] = getOp('conv2d').infer([x, w], convPart(a)) as [TensorSpec];
  const { bias, residual } = unpack(inputs as Tensor[], a);
  if (bias) {
    requireDType(bias, ['float32'], OP, 'bias');
    if (bias.shape.length !== 1 || bias.shape[0] !== w.shape[0]) throw new ShapeError(`${OP}: bias must be [${w.shape[0]}] for weight ${fmtShape(w.shape)}, got ${fmtShape(bias.shape)}`);
  }
  if (residual) {
    requireDType(residual, ['float32'], OP, 'residual');
    if (!shapesEqual(residual.shape, out.shape)) throw new ShapeError(`${OP}: residual must have the convolution's output shape ${fmtShape(out.shape)}, got ${fmtShape(residual.shape)}`);
  }
  return [out];
}

function decompose(inputs: readonly Tensor[], a: FusedConvAttrs): Tensor[] {
  const { x, w, bias, residual } = unpack(inputs, a);
  let y = run('conv2d', [x, w], convPart(a));
  if (bias) y = run('add', [y, run('reshape', [bias], { shape: [1, bias.size, 1, 1] })]);
  if (residual) y = run('add', [y, residual]);
  return [a.activation === 'relu' ? run('relu', [y]) : y];
}

/**
 * Written out rather than replayed from the decomposition, so a backend's fused kernel trains
 * without running the convolution again: relu's gradient from the output, then conv2d's.
 */
function grad([dy]: readonly Tensor[], { inputs, outputs: [y], attrs }: GradContext<FusedConvAttrs>): (Tensor | null)[] {
  const { x, w, bias, residual } = unpack(inputs, attrs);
  const dz = attrs.activation === 'relu' ? getOp('relu').grad!([dy!], { inputs: [y!], outputs: [y!], attrs: {} })[0]! : dy!;
  const [dx, dw] = getOp('conv2d').grad!([dz], { inputs: [x, w], outputs: [], attrs: convPart(attrs) });
  const grads = [dx ?? null, dw ?? null];
  if (bias) grads.push(bias.requiresGrad ? run('sum', [dz], { axes: [0, 2, 3], keepdim: false }) : null);
  if (residual) grads.push(residual.requiresGrad ? dz : null);
  return grads;
}

defineOps({ name: OP, infer, decompose, grad });

// ------------------------------------------------------------------ user-facing function

export interface FusedConv2dOptions extends Conv2dOptions {
  /** Applied last, after the bias and the residual (default 'none'). */
  activation?: FusedActivation;
  /** Added before the activation; must have the convolution's output shape [N, O, OH, OW]. */
  residual?: Tensor | null;
}

/**
 * `act(conv2d(x, weight) + bias + residual)` in one op (TF.js's `tf.fused.conv2d`): a ResNet
 * block's `relu(bn2(conv2(y)) + shortcut)` once the batch norm is folded into the convolution.
 * Takes conv2d's options (numbers or [h, w] pairs).
 */
export function fusedConv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: FusedConv2dOptions = {}): Tensor {
  const { residual, activation = 'none' } = options;
  const attrs: FusedConvAttrs = { ...convAttrs(OP, options), hasBias: !!bias, hasResidual: !!residual, activation };
  return run(OP, [x, weight, ...(bias ? [bias] : []), ...(residual ? [residual] : [])], attrs);
}
