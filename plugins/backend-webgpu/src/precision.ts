import { shapesEqual } from '@fovea/core';
import type { PendingOp } from './gpu-data.js';

/**
 * Whether an elementwise float32 result is kept as f32 under f16 storage. Squaring halves the
 * exponent range f16 can hold: for |g| < ~2.4e-4, g² is below f16's smallest subnormal and
 * rounds to 0, and below ~7.8e-3 it is subnormal and loses bits. So a square (`mul(g, g)`, or
 * `pow` with a host exponent over 1) is kept as f32, and so is whatever reads an f32 value
 * element for element (not broadcast): the running sums built from squares stay f32 step after
 * step. That is the optimizers' second-moment state — RMSprop's square average, Adagrad's sum —
 * and the parameters updated from it: in f16 a zero square average makes the step g / eps, and
 * the parameter jumps by ~1e5 (see the storage-f16 tests). Activations are not widened: they
 * come from GEMMs, reductions and broadcast reads, which keep f16.
 */
export function keepsF32(op: PendingOp): boolean {
  if (op.dtype !== 'float32') return false;
  const [a, b] = op.inputs;
  if (op.name === 'mul' && a && b && a.data === b.data && shapesEqual(a.shape, b.shape)) return true;
  if (op.name === 'pow' && b?.data.hostValue !== undefined && Math.abs(b.data.hostValue) > 1) return true;
  return op.inputs.some((i) => i.dtype === 'float32' && shapesEqual(i.shape, op.shape) && (i.data.wide || (i.data.buffer !== null && !i.data.half)));
}
