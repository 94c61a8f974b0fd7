import type { TensorSpec } from '@fovea/core';
import type { JsKernel, JsTensor } from './backend.js';
import { gemm, type MatrixView } from './gemm.js';

type Pair = readonly [number, number];

export interface Conv2dAttrs {
  stride: Pair;
  padding: Pair;
  dilation: Pair;
  groups: number;
}

/**
 * Everything about one convolution, from the input, filter and output shapes. Per image, group
 * and band of output rows it is a GEMM: filter [og, ck] · columns [ck, len] = output [og, len],
 * where the columns matrix holds, for each output pixel, the ck = cg·kh·kw input values its
 * window sees.
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
  /** Output rows per columns matrix, so that it stays within COLUMNS_BUDGET floats. */
  readonly bandRows: number;
}

/**
 * Floats in one columns matrix (4 MiB). A large image's full matrix would be ck·OH·OW floats
 * (115 MB for a 3×3, 64-channel conv at 224×224), so it is built a band of output rows at a time.
 */
const COLUMNS_BUDGET = 1 << 20;

function geometry(x: readonly number[], filter: readonly number[], y: readonly number[], attrs: Conv2dAttrs): Geometry {
  const [n, c, h, w] = x as [number, number, number, number];
  const [o, cg, kh, kw] = filter as [number, number, number, number];
  const [oh, ow] = [y[2]!, y[3]!];
  const { stride, padding, dilation, groups } = attrs;
  const direct = kh === 1 && kw === 1 && stride[0] === 1 && stride[1] === 1 && padding[0] === 0 && padding[1] === 0;
  const ck = cg * kh * kw;
  const bandRows = direct ? oh : Math.max(1, Math.min(oh, Math.floor(COLUMNS_BUDGET / (ck * ow))));
  return { n, c, h, w, kh, kw, oh, ow, groups, cg, og: o / groups, ck, ohw: oh * ow, stride, padding, dilation, direct, bandRows };
}

/**
 * Copies group `g` of image `img` into the columns matrix for output rows `band`: row (ci, ki, kj)
 * holds, for every output pixel, the input value under filter tap (ki, kj) of channel ci — zero
 * where it is padding.
 */
function im2col(x: Float32Array, img: number, g: number, band: Band, geo: Geometry, col: Float32Array): void {
  forEachTap(geo, img, g, band, (xRow, colRow, lo, hi, sw, ix0) => {
    col.fill(0, colRow, colRow + lo);
    for (let ox = lo, ix = xRow + ix0 + lo * sw; ox < hi; ox++, ix += sw) col[colRow + ox] = x[ix]!;
    col.fill(0, colRow + hi, colRow + geo.ow);
  }, (colRow) => col.fill(0, colRow, colRow + geo.ow));
}

/** The adjoint of im2col: adds every column entry back onto the input pixel it was read from. */
function col2im(col: Float32Array, img: number, g: number, band: Band, geo: Geometry, dx: Float32Array): void {
  forEachTap(geo, img, g, band, (xRow, colRow, lo, hi, sw, ix0) => {
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
  band: Band,
  inside: (xRow: number, colRow: number, lo: number, hi: number, sw: number, ix0: number) => void,
  outside: (colRow: number) => void,
): void {
  const { h, w, kh, kw, ow, cg, stride, padding, dilation } = geo;
  const [sh, sw] = stride;
  let colRow = 0;
  for (let ci = 0; ci < cg; ci++) {
    const plane = (img * geo.c + g * cg + ci) * h * w;
    for (let ki = 0; ki < kh; ki++) {
      const iy0 = ki * dilation[0] - padding[0];
      for (let kj = 0; kj < kw; kj++) {
        const ix0 = kj * dilation[1] - padding[1];
        const [lo, hi] = validRange(ow, w, sw, ix0);
        for (let oy = band.oy0; oy < band.oy1; oy++, colRow += ow) {
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

/** A band of output rows [oy0, oy1) of one image and group: `len` output pixels. */
interface Band {
  oy0: number;
  oy1: number;
  len: number;
}

/**
 * Visits every image, group and band of output rows, with the band's columns matrix [ck, len]:
 * the scratch `col` (to be filled by im2col or drained by col2im), or the input itself when direct.
 */
function forEachBand(geo: Geometry, input: Float32Array, col: Float32Array, visit: (img: number, g: number, band: Band, cols: MatrixView) => void): void {
  const band: Band = { oy0: 0, oy1: 0, len: 0 };
  for (let img = 0; img < geo.n; img++) {
    for (let g = 0; g < geo.groups; g++) {
      for (band.oy0 = 0; band.oy0 < geo.oh; band.oy0 = band.oy1) {
        band.oy1 = Math.min(geo.oh, band.oy0 + geo.bandRows);
        band.len = (band.oy1 - band.oy0) * geo.ow;
        const cols = geo.direct ? { data: input, offset: groupOffset(img, g, geo.c, geo.cg, geo.ohw), stride: geo.ohw } : { data: col, offset: 0, stride: band.len };
        visit(img, g, band, cols);
      }
    }
  }
}

/** Scratch for one band's columns matrix; none when the input serves directly. */
function columnsScratch(geo: Geometry): Float32Array {
  return new Float32Array(geo.direct ? 0 : geo.ck * geo.bandRows * geo.ow);
}

/** Where a band's output pixels (or their gradients) sit in an [N, O, OH·OW] array: row stride OH·OW. */
function bandOfOutput(data: Float32Array, img: number, g: number, band: Band, geo: Geometry): MatrixView {
  return { data, offset: groupOffset(img, g, geo.groups * geo.og, geo.og, geo.ohw) + band.oy0 * geo.ow, stride: geo.ohw };
}

/** Group `g`'s filters (or their gradients) as an [og, ck] matrix. */
function groupFilters(data: Float32Array, g: number, geo: Geometry): MatrixView {
  return { data, offset: g * geo.og * geo.ck, stride: geo.ck };
}

/** y = W·cols per image, group and band: the forward convolution of inputs x and w into a new array. */
export function convolve([xi, wi]: readonly JsTensor[], attrs: Conv2dAttrs, out: TensorSpec): Float32Array {
  const geo = geometry(xi!.shape, wi!.shape, out.shape, attrs);
  const x = xi!.dataId.values as Float32Array;
  const filter = wi!.dataId.values as Float32Array;
  const y = new Float32Array(geo.n * geo.groups * geo.og * geo.ohw);
  forEachBand(geo, x, columnsScratch(geo), (img, g, band, cols) => {
    if (!geo.direct) im2col(x, img, g, band, geo, cols.data);
    gemm(geo.og, band.len, geo.ck, { ...groupFilters(filter, g, geo), transpose: false }, { ...cols, transpose: false }, bandOfOutput(y, img, g, band, geo));
  });
  return y;
}

const conv2d: JsKernel<Conv2dAttrs> = ({ backend, inputs, attrs, outputs }) => [backend.adopt(convolve(inputs, attrs, outputs[0]!))];

/** dx = Wᵀ·dy per image, group and band, scattered back through col2im (or straight into dx when direct). */
const conv2dBackpropInput: JsKernel<Conv2dAttrs & { inputShape: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const [dyi, wi] = inputs;
  const geo = geometry(outputs[0]!.shape, wi.shape, dyi.shape, attrs);
  const dy = dyi.dataId.values as Float32Array;
  const filter = wi.dataId.values as Float32Array;
  const dx = new Float32Array(geo.n * geo.c * geo.h * geo.w);
  forEachBand(geo, dx, columnsScratch(geo), (img, g, band, cols) => {
    if (!geo.direct) cols.data.fill(0);
    gemm(geo.ck, band.len, geo.og, { ...groupFilters(filter, g, geo), transpose: true }, { ...bandOfOutput(dy, img, g, band, geo), transpose: false }, cols);
    if (!geo.direct) col2im(cols.data, img, g, band, geo, dx);
  });
  return [backend.adopt(dx)];
};

/** dW = Σ over images and bands of dy·colsᵀ, per group. */
const conv2dBackpropFilter: JsKernel<Conv2dAttrs & { filterShape: number[] }> = ({ backend, inputs, attrs, outputs }) => {
  const [xi, dyi] = inputs;
  const geo = geometry(xi.shape, outputs[0]!.shape, dyi.shape, attrs);
  const x = xi.dataId.values as Float32Array;
  const dy = dyi.dataId.values as Float32Array;
  const dw = new Float32Array(geo.groups * geo.og * geo.ck);
  forEachBand(geo, x, columnsScratch(geo), (img, g, band, cols) => {
    if (!geo.direct) im2col(x, img, g, band, geo, cols.data);
    gemm(geo.og, geo.ck, band.len, { ...bandOfOutput(dy, img, g, band, geo), transpose: false }, { ...cols, transpose: true }, groupFilters(dw, g, geo));
  });
  return [backend.adopt(dw)];
};

export const convKernels: Record<string, JsKernel> = { conv2d, conv2dBackpropInput, conv2dBackpropFilter };
