import { allocArray, sizeOf, stridesOf, ValueError } from '@fovea/core';
import type { JsKernel, JsTensor } from './backend.js';
import { forEachRow, planWalk } from './strided.js';

/**
 * Walks the index tensor's shape with three operands: the index itself (contiguous), `moving`,
 * the tensor addressed through the index along `axis` (its stride there set to 0, the index
 * value supplies it), and `fixed`, the tensor read or written at the index's own position.
 * `visit(fixedAt, movingAt)` handles one element; indices outside the moving dim are a ValueError.
 */
function walkIndex(
  index: JsTensor,
  axis: number,
  moving: readonly number[],
  fixed: readonly number[],
  op: string,
  visit: (fixedAt: number, movingAt: number) => void,
): void {
  const idx = index.dataId.values;
  const movingStrides = stridesOf(moving);
  const axisStride = movingStrides[axis]!;
  const limit = moving[axis]!;
  movingStrides[axis] = 0;
  const plan = planWalk(index.shape, [stridesOf(index.shape), stridesOf(fixed), movingStrides]);
  const n = plan.rowLength;
  const [si, sf, sm] = plan.inner as [number, number, number];
  forEachRow(plan, [0, 0, 0], (at) => {
    for (let i = 0, ii = at[0]!, f = at[1]!, m = at[2]!; i < n; i++, ii += si, f += sf, m += sm) {
      const k = idx[ii]!;
      if (k < 0 || k >= limit) throw new ValueError(`${op}: index ${k} is out of range for dim ${axis} of size ${limit}`);
      visit(f, m + k * axisStride);
    }
  });
}

/** out[…i…] = x[…index[…i…]…] along `axis`; the output has the index's shape. */
const gather: JsKernel<{ axis: number }> = ({ backend, inputs, attrs, outputs }) => {
  const [x, index] = inputs;
  const spec = outputs[0]!;
  const xv = x.dataId.values;
  const out = allocArray(spec.dtype, sizeOf(spec.shape));
  walkIndex(index, attrs.axis, x.shape, spec.shape, 'gather', (o, from) => (out[o] = xv[from]!));
  return [backend.adopt(out)];
};

/** A copy of base with src[…i…] added at […index[…i…]…] along `axis`; repeated indices accumulate. */
const scatterAdd: JsKernel<{ axis: number }> = ({ backend, inputs, attrs }) => {
  const [base, index, src] = inputs;
  const sv = src.dataId.values;
  const out = base.dataId.values.slice();
  walkIndex(index, attrs.axis, base.shape, src.shape, 'scatterAdd', (s, to) => (out[to] += sv[s]!));
  return [backend.adopt(out)];
};

export const gatherKernels: Record<string, JsKernel> = { gather, scatterAdd };
