import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { checkShape, fmtShape, normalizeAxes, normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { defineOps, requireInt, run } from './util.js';

interface SliceAttrs {
  begin: number[];
  size: number[];
  step: number[];
}

function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

function checkPerm(perm: unknown, rank: number): number[] {
  if (!Array.isArray(perm) || perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= rank)) {
    throw new ValueError(`permute: dims ${JSON.stringify(perm)} are not a permutation of ${rank} axes`);
  }
  return perm;
}

/**
 * The gradient of a strided slice: `dy` placed back at the positions it was read from, zeros
 * elsewhere, built from reshape and pad so every backend can run it.
 */
function sliceBackward(dy: Tensor, shape: readonly number[], { begin, size, step }: SliceAttrs): Tensor {
  let g = dy;
  for (let d = 0; d < shape.length; d++) {
    const n = size[d]!;
    if (n === shape[d] && step[d] === 1) continue;
    let s = step[d]!;
    let start = begin[d]!;
    if (s < 0) {
      g = flip(g, [d]);
      start += (n - 1) * s;
      s = -s;
    }
    if (n > 0 && s > 1) g = dilate(g, d, s);
    const used = n === 0 ? 0 : (n - 1) * s + 1;
    const pads = shape.map((_, i) => (i === d ? [start, shape[d]! - start - used] : [0, 0]));
    g = run('pad', [g], { pads, value: 0 });
  }
  return g;
}

/** Inserts `s − 1` zeros between consecutive entries along `dim`. */
export function dilate(x: Tensor, dim: number, s: number): Tensor {
  const n = x.shape[dim]!;
  const split = [...x.shape.slice(0, dim + 1), 1, ...x.shape.slice(dim + 1)];
  const pads = split.map((_, i) => (i === dim + 1 ? [0, s - 1] : [0, 0]));
  const spread = run('pad', [run('reshape', [x], { shape: split })], { pads, value: 0 });
  const merged = run('reshape', [spread], { shape: x.shape.map((d, i) => (i === dim ? d * s : d)) });
  return sliceRaw(merged, merged.shape.map(() => 0), merged.shape.map((d, i) => (i === dim ? (n - 1) * s + 1 : d)), merged.shape.map(() => 1));
}

function sliceRaw(x: Tensor, begin: number[], size: number[], step: number[]): Tensor {
  return run('slice', [x], { begin, size, step });
}

defineOps(
  {
    name: 'reshape',
    view: true,
    infer: ([x], { shape }: { shape: number[] }) => {
      checkShape(shape, 'reshape');
      if (sizeOf(shape) !== sizeOf(x!.shape)) throw new ShapeError(`reshape: cannot view ${fmtShape(x!.shape)} (${sizeOf(x!.shape)} elements) as ${fmtShape(shape)}`);
      return [{ shape, dtype: x!.dtype }];
    },
    grad: ([dy], { inputs: [x] }) => [run('reshape', [dy!], { shape: x!.shape })],
  },
  {
    name: 'transpose',
    infer: ([x], { perm }: { perm: number[] }) => [{ shape: checkPerm(perm, x!.shape.length).map((p) => x!.shape[p]!), dtype: x!.dtype }],
    grad: ([dy], { attrs: { perm } }) => [run('transpose', [dy!], { perm: inversePerm(perm) })],
  },
  {
    name: 'expand',
    infer: ([x], { shape }: { shape: number[] }) => {
      checkShape(shape, 'expand');
      if (shape.length !== x!.shape.length || x!.shape.some((d, i) => d !== 1 && d !== shape[i])) {
        throw new ShapeError(`expand: cannot broadcast ${fmtShape(x!.shape)} to ${fmtShape(shape)}`);
      }
      return [{ shape, dtype: x!.dtype }];
    },
    grad: ([dy], { inputs: [x] }) => {
      const axes = x!.shape.flatMap((d, i) => (d === 1 && dy!.shape[i] !== 1 ? [i] : []));
      return [axes.length ? run('sum', [dy!], { axes, keepdim: true }) : dy!];
    },
  },
  {
    name: 'slice',
    infer: ([x], { begin, size, step }: SliceAttrs) => {
      const r = x!.shape.length;
      if (begin.length !== r || size.length !== r || step.length !== r) throw new ValueError(`slice: begin, size and step need ${r} entries each`);
      x!.shape.forEach((d, i) => {
        const last = begin[i]! + (size[i]! - 1) * step[i]!;
        if (!Number.isInteger(step[i]) || step[i] === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${step[i]}`);
        if (size[i]! > 0 && (begin[i]! < 0 || begin[i]! >= d || last < 0 || last >= d)) {
          throw new ShapeError(`slice: dim ${i} reads outside [0, ${d})`);
        }
      });
      return [{ shape: [...size], dtype: x!.dtype }];
    },
    grad: ([dy], { inputs: [x], attrs }) => [sliceBackward(dy!, x!.shape, attrs)],
  },
  {
    name: 'concat',
    infer: (xs, { axis }: { axis: number }) => {
      if (xs.length === 0) throw new ValueError('concat: needs at least one tensor');
      const first = xs[0]!;
      const shape = [...first.shape];
      normalizeAxis(axis, shape.length, 'concat');
      for (const t of xs.slice(1)) {
        if (t.dtype !== first.dtype) throw new DTypeError(`concat: dtypes differ (${first.dtype} vs ${t.dtype})`);
        if (t.shape.length !== shape.length || t.shape.some((d, i) => i !== axis && d !== shape[i])) {
          throw new ShapeError(`concat: ${fmtShape(t.shape)} does not match ${fmtShape(first.shape)} outside dim ${axis}`);
        }
        shape[axis]! += t.shape[axis]!;
      }
      return [{ shape, dtype: first.dtype }];
    },
    grad: ([dy], { inputs, attrs: { axis } }) => {
      let offset = 0;
      return inputs.map((t) => {
        const begin = t.shape.map((_, i) => (i === axis ? offset : 0));
        offset += t.shape[axis]!;
        return sliceRaw(dy!, begin, [...t.shape], t.shape.map(() => 1));
      });
    },
  },
  {
    name: 'pad',
    infer: ([x], { pads, value }: { pads: [number, number][]; value: number }) => {
      if (!Array.isArray(pads) || pads.length !== x!.shape.length) throw new ValueError(`pad: need one [before, after] pair per dim (${x!.shape.length})`);
      pads.flat().forEach((p) => requireInt(p, 'pad', 'padding', 0));
      if (typeof value !== 'number' || Number.isNaN(value)) throw new ValueError(`pad: value must be a number, got ${value}`);
      return [{ shape: x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]), dtype: x!.dtype }];
    },
    grad: ([dy], { inputs: [x], attrs: { pads } }) => [sliceRaw(dy!, (pads as [number, number][]).map((p) => p[0]), [...x!.shape], x!.shape.map(() => 1))],
  },
);

// ------------------------------------------------------------------ user-facing functions

/** A view with a new shape; one dimension may be −1 (inferred). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const free = shape.indexOf(-1);
  let target = [...shape];
  if (free >= 0) {
    const known = shape.reduce((p, d, i) => (i === free ? p : p * d), 1);
    if (shape.lastIndexOf(-1) !== free || known === 0 || x.size % known !== 0) {
      throw new ShapeError(`reshape: cannot infer -1 in ${fmtShape(shape)} for ${x.size} elements`);
    }
    target[free] = x.size / known;
  }
  target = checkShape(target, 'reshape');
  return run('reshape', [x], { shape: target });
}

export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeAxis(startDim, x.ndim, 'flatten');
  const e = normalizeAxis(endDim, x.ndim, 'flatten');
  const merged = x.shape.slice(s, e + 1).reduce((p, d) => p * d, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function squeeze(x: Tensor, dim?: number | readonly number[]): Tensor {
  const axes = dim === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes(dim, x.ndim, 'squeeze');
  return reshape(x, x.shape.filter((d, i) => !(axes.includes(i) && d === 1)));
}

export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = normalizeAxis(dim, x.ndim + 1, 'unsqueeze');
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const perm = dims.map((d) => normalizeAxis(d, x.ndim, 'permute'));
  if (perm.every((p, i) => p === i)) return reshape(x, x.shape);
  return run('transpose', [x], { perm });
}

/** Swaps two dims. */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const perm = x.shape.map((_, i) => i);
  const a = normalizeAxis(dim0, x.ndim, 'transpose');
  const b = normalizeAxis(dim1, x.ndim, 'transpose');
  [perm[a], perm[b]] = [perm[b]!, perm[a]!];
  return permute(x, perm);
}

/** Broadcasts to `shape` (new leading dims allowed; −1 keeps a dim), like `torch.expand`. */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  if (shape.length < x.ndim) throw new ShapeError(`expand: target ${fmtShape(shape)} has fewer dims than ${fmtShape(x.shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 ? x.shape[i - lead]! : d));
  const ranked = lead ? reshape(x, [...new Array<number>(lead).fill(1), ...x.shape]) : x;
  if (target.every((d, i) => d === ranked.shape[i])) return ranked === x ? reshape(x, x.shape) : ranked;
  return run('expand', [ranked], { shape: target });
}

/**
 * Python-style slicing per dim: `begin`/`end` may be negative or out of range (clamped), `step`
 * may be negative. Shorter arrays leave the remaining dims whole.
 */
export function slice(x: Tensor, begin: readonly number[], end?: readonly (number | null)[], step?: readonly number[]): Tensor {
  const b: number[] = [];
  const size: number[] = [];
  const st: number[] = [];
  x.shape.forEach((d, i) => {
    const s = step?.[i] ?? 1;
    if (!Number.isInteger(s) || s === 0) throw new ValueError(`slice: step must be a non-zero integer, got ${s}`);
    const norm = (v: number | null | undefined, dflt: number) => {
      if (v === null || v === undefined) return dflt;
      const w = v < 0 ? v + d : v;
      return s > 0 ? Math.min(Math.max(w, 0), d) : Math.min(Math.max(w, -1), d - 1);
    };
    const lo = norm(begin[i], s > 0 ? 0 : d - 1);
    const hi = norm(end?.[i], s > 0 ? d : -1);
    const n = Math.max(0, Math.ceil((hi - lo) / s));
    b.push(n ? lo : 0);
    size.push(n);
    st.push(s);
  });
  return run('slice', [x], { begin: b, size, step: st });
}

/** Reverses the order along each of `dims`. */
export function flip(x: Tensor, dims: readonly number[]): Tensor {
  const axes = normalizeAxes(dims, x.ndim, 'flip');
  return slice(x, x.shape.map((d, i) => (axes.includes(i) ? d - 1 : 0)), x.shape.map(() => null), x.shape.map((_, i) => (axes.includes(i) ? -1 : 1)));
}

export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('concat: needs at least one tensor');
  const axis = normalizeAxis(dim, tensors[0]!.ndim, 'concat');
  if (tensors.length === 1) return reshape(tensors[0]!, tensors[0]!.shape);
  return run('concat', tensors, { axis });
}

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new ValueError('stack: needs at least one tensor');
  const axis = normalizeAxis(dim, tensors[0]!.ndim + 1, 'stack');
  for (const t of tensors) {
    if (t.shape.join() !== tensors[0]!.shape.join()) throw new ShapeError(`stack: shapes differ (${fmtShape(tensors[0]!.shape)} vs ${fmtShape(t.shape)})`);
  }
  return concat(tensors.map((t) => unsqueeze(t, axis)), axis);
}

/** Splits into pieces of `sizes` (an array) or of equal size `sizes` along `dim`. */
export function split(x: Tensor, sizes: number | readonly number[], dim = 0): Tensor[] {
  const axis = normalizeAxis(dim, x.ndim, 'split');
  const total = x.shape[axis]!;
  const parts = typeof sizes === 'number' ? Array.from({ length: Math.ceil(total / requireInt(sizes, 'split', 'size', 1)) }, (_, i) => Math.min(sizes, total - i * sizes)) : [...sizes];
  if (parts.reduce((a, b) => a + b, 0) !== total) throw new ShapeError(`split: sizes ${JSON.stringify(parts)} do not add up to ${total}`);
  let offset = 0;
  return parts.map((n) => {
    const begin = x.shape.map((_, i) => (i === axis ? offset : 0));
    offset += n;
    return run('slice', [x], { begin, size: x.shape.map((d, i) => (i === axis ? n : d)), step: x.shape.map(() => 1) });
  });
}

/** Constant padding in PyTorch's `F.pad` order: [lastBefore, lastAfter, prevBefore, prevAfter, …]. */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) throw new ValueError(`pad: need pairs for at most ${x.ndim} dims, got ${padding.length} values`);
  const pads = x.shape.map((): [number, number] => [0, 0]);
  for (let k = 0; k < padding.length / 2; k++) pads[x.ndim - 1 - k] = [padding[2 * k]!, padding[2 * k + 1]!];
  return run('pad', [x], { pads, value });
}
