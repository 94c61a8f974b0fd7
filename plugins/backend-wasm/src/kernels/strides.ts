import { stridesOf, ValueError } from '@fovea/core';

/** The most dims a kernel walks (nd.rs MAX_RANK). */
const MAX_RANK = 8;

/** Element strides of `shape` read as `out` (NumPy broadcasting): 0 on stretched or missing dims. */
export function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = stridesOf(shape);
  const lead = out.length - shape.length;
  return out.map((d, i) => (i < lead || shape[i - lead] !== d ? 0 : own[i - lead]!));
}

export interface Walk {
  shape: number[];
  strides: number[][];
}

/**
 * Simplifies a walk of `shape` by several operands: drops size-1 dims and merges neighbours
 * every operand steps through contiguously, so kernels see long inner rows (and few dims).
 */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[], op: string): Walk {
  const dims: number[] = [];
  const out: number[][] = strides.map(() => []);
  shape.forEach((d, i) => {
    if (d === 1) return;
    const last = dims.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => out[k]![last] === s[i]! * d);
    if (mergeable) {
      dims[last]! *= d;
      strides.forEach((s, k) => (out[k]![last] = s[i]!));
    } else {
      dims.push(d);
      strides.forEach((s, k) => out[k]!.push(s[i]!));
    }
  });
  if (dims.length > MAX_RANK) throw new ValueError(`${op}: the wasm backend walks at most ${MAX_RANK} non-mergeable dims, got ${dims.length}`);
  return { shape: dims, strides: out };
}
