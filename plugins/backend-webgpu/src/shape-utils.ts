/** Row-major strides of a contiguous tensor. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = s;
    s *= shape[d]!;
  }
  return strides;
}

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/**
 * Strides that read a contiguous `inShape` as if broadcast (NumPy rules) to `outShape`: aligned
 * to the output's rank, 0 along broadcast dims.
 */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const own = contiguousStrides(inShape);
  const lead = outShape.length - inShape.length;
  return outShape.map((_, d) => {
    const k = d - lead;
    return k < 0 || inShape[k] === 1 ? 0 : own[k]!;
  });
}

export interface Layout {
  readonly shape: number[];
  /** One stride list per operand, each aligned to `shape`. */
  readonly strides: number[][];
}

/**
 * Drops unit dims and merges neighbours that every operand walks as one (stride[d] ==
 * stride[d+1] * shape[d+1]), so index maths runs over as few dims as possible and shaders are
 * shared between shapes of different ranks.
 */
export function coalesce(shape: readonly number[], strides: readonly (readonly number[])[]): Layout {
  const keep = shape.map((_, d) => d).filter((d) => shape[d] !== 1);
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (const d of keep) {
    const last = outShape.length - 1;
    const mergeable =
      last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * shape[d]!);
    if (mergeable) {
      outShape[last] = outShape[last]! * shape[d]!;
      strides.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outShape.push(shape[d]!);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}
