import type { JsKernel } from './backend.js';
import { gemm } from './gemm.js';

type Pair = readonly [number, number];

export interface Conv2dAttrs {
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  groups: number;
}

/**
 * Everything about one convolution, from the input, filter and output shapes. Per image and
 * group it is a GEMM: filter [og, ck] · columns [ck, ohw] = output [og, ohw], where the columns
 * matrix holds, for each output pixel, the ck = cg·kh·kw input values its window sees.
 */
interface Geometry {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly oh: number;
  readonly ow: number;
  readonly groups: number;
  /** Input and output channels per group. */
  readonly cg: number;
  readonly og: number;
  readonly ck: number;
  readonly ohw: number;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  /** A 1×1, stride 1, unpadded conv: the input already is its columns matrix. */
  readonly direct: boolean;
}

function geometry(x: readonly number[], filter: readonly number[], y: readonly number[], attrs: Conv2dAttrs): Geometry {
  const [n, c, h, w] = x as [number, number, number, number];
  const [o, cg, kh, kw] = filter as [number, number, number, number];
  const [oh, ow] = [y[2]!, y[3]!];
  const { stride, padding, dilation, groups } = attrs;
  const direct = kh === 1 && kw === 1 && stride[0] === 1 && stride[1] === 1 && padding[0] === 0 && padding[1] === 0;
  return { n, c, h, w, kh, kw, oh, ow, groups, cg, og: o / groups, ck: cg * kh * kw, ohw: oh * ow, stride, padding, dilation, direct };
}

/**
 * Copies group `g` of image `img` into the columns matrix: row (ci, ki, kj) holds, for every
 * output pixel, the input value under filter tap (ki, kj) of channel ci — zero where it is padding.
 */
function im2col(x: Float32Array, img: number, g: number, geo: Geometry, col: Float32Array): void {
  forEachTap(geo, img, g, (xRow, colRow, lo, hi, sw, ix0) => {
    col.fill(0, colRow, colRow + lo);
    for (let ox = lo, ix = xRow + ix0 + lo * sw; ox < hi; ox++, ix += sw) col[colRow + ox] = x[ix]!;
    col.fill(0, colRow + hi, colRow + geo.ow);
  }, (colRow) => col.fill(0, colRow, colRow + geo.ow));
}

/** The adjoint of im2col: adds every column entry back onto the input pixel it was read from. */
function col2im(col: Float32Array, img: number, g: number, geo: Geometry, dx: Float32Array): void {
  forEachTap(geo, img, g, (xRow, colRow, lo, hi, sw, ix0) => {
    for (let ox = lo, ix = xRow + ix0 + lo * sw; ox < hi; ox++, ix += sw) dx[ix] += col[colRow + ox]!;
  }, () => undefined);
}

/**
 * Walks the columns matrix row segment by row segment (one filter tap, one output row). For a
 * segment whose input row exists, `inside` gets the input row's offset, the segment's offset and
 * the [lo, hi) output columns that fall inside the input; otherwise `outside` gets the segment.
 */
function forEachTap(
  geo: Geometry,
  img: number,
  g: number,
  inside: (xRow: number, colRow: number, lo: number, hi: number, sw: number, ix0: number) => void,
  outside: (colRow: number) => void,
): void {
  const { h, w, kh, kw, oh, ow, cg, stride, padding, dilation } = geo;
  const [sh, sw] = stride;
  let colRow = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = (img * geo.c + g * cg + ci) * h * w;
    for (let ki = 0; ki < kh; ki++) {
      const iy0 = ki * dilation[0] - padding[0];
      for (let kj = 0; kj < kw; kj++) {
        const ix0 = kj * dilation[1] - padding[1];
        const [lo, hi] = validRange(ow, w, sw, ix0);
        for (let oy = 0; oy < oh; oy++, colRow += ow) {
          const iy = iy0 + oy * sh;
          if (iy >= 0 && iy < h) inside(plane + iy * w, colRow, lo, hi, sw, ix0);
          else outside(colRow);
        }
      }
    }
  }
}

/**
 * The output columns [lo, hi) whose tap lands inside the input row: those `o` in [0, outLen)
 * with 0 ≤ o·stride + offset < inLen. Computed once per tap, it keeps bounds checks out of the
 * im2col and col2im inner loops.
 */
function validRange(outLen: number, inLen: number, stride: number, offset: number): [number, number] {
  const lo = Math.min(outLen, Math.max(0, Math.ceil(-offset / stride)));
  const hi = Math.min(outLen, Math.max(lo, Math.floor((inLen - 1 - offset) / stride) + 1));
  return [lo, hi];
}

/** Offsets of image `img`, group `g` in an [N, C, H·W]-shaped array with `cg` channels per group. */
function groupOffset(img: number, g: number, channels: number, cg: number, plane: number): number {
  return (img * channels + g * cg) * plane;
}

const conv2d: JsKernel<Conv2dAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const [xi, wi] = inputs;
  const geo = geometry(xi.shape, wi.shape, outputs[0]!.shape, attrs);
  const { n, c, groups, cg, og, ck, ohw } = geo;
  const x = xi.dataId.values as Float32Array;
  const filter = wi.dataId.values as Float32Array;
  const y = new Float32Array(n * groups * og * ohw);
  const col = geo.direct ? x : new Float32Array(ck * ohw);
  for (let img = 0; img < n; img++) {
    for (let g = 0; g < groups; g++) {
      if (!geo.direct) im2col(x, img, g, geo, col);
      gemm(
        og,
        ohw,
        ck,
        { data: filter, offset: g * og * ck, stride: ck, transpose: false },
        { data: col, offset: geo.direct ? groupOffset(img, g, c, cg, ohw) : 0, stride: ohw, transpose: false },
        { data: y, offset: groupOffset(img, g, groups * og, og, ohw), stride: ohw },
      );
    }
  }
  return [backend.adopt(y)];
};

/** dx = Wᵀ·dy per image and group, scattered back through col2im (or straight into dx when direct). */
const conv2dBackpropInput: JsKernel<Conv2dAttrs & { inputShape: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const [dyi, wi] = inputs;
  const geo = geometry(outputs[0]!.shape, wi.shape, dyi.shape, attrs);
  const { n, c, h, w, groups, cg, og, ck, ohw } = geo;
  const dy = dyi.dataId.values as Float32Array;
  const filter = wi.dataId.values as Float32Array;
  const dx = new Float32Array(n * c * h * w);
  const col = geo.direct ? dx : new Float32Array(ck * ohw);
  for (let img = 0; img < n; img++) {
    for (let g = 0; g < groups; g++) {
      if (!geo.direct) col.fill(0);
      gemm(
        ck,
        ohw,
        og,
        { data: filter, offset: g * og * ck, stride: ck, transpose: true },
        { data: dy, offset: groupOffset(img, g, groups * og, og, ohw), stride: ohw, transpose: false },
        { data: col, offset: geo.direct ? groupOffset(img, g, c, cg, ohw) : 0, stride: ohw },
      );
      if (!geo.direct) col2im(col, img, g, geo, dx);
    }
  }
  return [backend.adopt(dx)];
};

/** dW = Σ over images of dy·colsᵀ, per group. */
const conv2dBackpropFilter: JsKernel<Conv2dAttrs & { filterShape: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const [xi, dyi] = inputs;
  const geo = geometry(xi.shape, outputs[0]!.shape, dyi.shape, attrs);
  const { n, c, groups, cg, og, ck, ohw } = geo;
  const x = xi.dataId.values as Float32Array;
  const dy = dyi.dataId.values as Float32Array;
  const dw = new Float32Array(groups * og * ck);
  const col = geo.direct ? x : new Float32Array(ck * ohw);
  for (let img = 0; img < n; img++) {
    for (let g = 0; g < groups; g++) {
      if (!geo.direct) im2col(x, img, g, geo, col);
      gemm(
        og,
        ck,
        ohw,
        { data: dy, offset: groupOffset(img, g, groups * og, og, ohw), stride: ohw, transpose: false },
        { data: col, offset: geo.direct ? groupOffset(img, g, c, cg, ohw) : 0, stride: ohw, transpose: true },
        { data: dw, offset: g * og * ck, stride: ck },
      );
    }
  }
  return [backend.adopt(dw)];
};

export const convKernels: Record<string, JsKernel> = { conv2d, conv2dBackpropInput, conv2dBackpropFilter };
