import { stridesOf, type Shape } from '@fovea/core';

/**
 * Strided walks: several operands (arrays addressed by a base offset and a stride per dim) are
 * visited together over one shape, a row at a time. Broadcasting (stride 0), transposes, slices,
 * padding and gathers are all such walks, so they share this one loop. Dims of size 1 are
 * dropped and dims that are contiguous for every operand are merged, so a same-shape
 * elementwise op is one long row and a bias add is N·C rows of H·W.
 */
export interface WalkPlan {
  /** Outer dims (everything but the row), after merging. */
  readonly dims: readonly number[];
  /** Per operand, its stride along each outer dim. */
  readonly strides: readonly (readonly number[])[];
  /** Elements per row; 0 when the shape is empty. */
  readonly rowLength: number;
  /** Per operand, its stride along a row. */
  readonly inner: readonly number[];
}

export function planWalk(shape: Shape, strides: readonly (readonly number[])[]): WalkPlan {
  const dims: number[] = [];
  const merged: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d]!;
    if (size === 0) return { dims: [], strides: merged, rowLength: 0, inner: strides.map(() => 0) };
    if (size === 1) continue;
    const last = dims.length - 1;
    // Merge into the previous dim when one step there equals `size` steps here, for every operand.
    if (last >= 0 && strides.every((s, k) => merged[k]![last] === s[d]! * size)) {
      dims[last]! *= size;
      merged.forEach((m, k) => (m[last] = strides[k]![d]!));
    } else {
      dims.push(size);
      merged.forEach((m, k) => m.push(strides[k]![d]!));
    }
  }
  const rowLength = dims.pop() ?? 1;
  const inner = merged.map((m) => m.pop() ?? 0);
  return { dims, strides: merged, rowLength, inner };
}

/** Calls `visit` once per row with each operand's offset at the row's start (one shared array). */
export function forEachRow(plan: WalkPlan, bases: readonly number[], visit: (offsets: number[]) => void): void {
  if (plan.rowLength === 0) return;
  const { dims, strides } = plan;
  const rank = dims.length;
  const operands = bases.length;
  const offsets = [...bases];
  const index = new Array<number>(rank).fill(0);
  for (;;) {
    visit(offsets);
    // Odometer step: bump the last dim that has room, rewinding the dims after it.
    let d = rank - 1;
    for (; d >= 0; d--) {
      if (++index[d]! < dims[d]!) {
        for (let k = 0; k < operands; k++) offsets[k]! += strides[k]![d]!;
        break;
      }
      index[d] = 0;
      for (let k = 0; k < operands; k++) offsets[k]! -= strides[k]![d]! * (dims[d]! - 1);
    }
    if (d < 0) return;
  }
}

/** Strides that read a tensor of `shape` broadcast (NumPy rules) to `outShape`: 0 on stretched dims. */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]!));
}
