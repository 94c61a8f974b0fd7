import { sizeOf } from '@fovea/core';
import type { JsKernel } from './backend.js';

type Pair = readonly [number, number];

export interface Pool2dAttrs {
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  countIncludePad?: boolean;
  /** Only changes the output size, which the kernels take from the inferred output shape. */
  ceilMode?: boolean;
}

/**
 * One pooling window, clipped to the input: rows [y0, y1) and columns [x0, x1) of plane `plane`
 * (an offset into the NCHW input), and `padded`, the window's area counting padding but not
 * reaching past it (PyTorch's divisor with countIncludePad; a ceil-mode window can overhang).
 */
interface Window {
  plane: number;
  y0: number;
  y1: number;
  x0: number;
  x1: number;
  padded: number;
}

/** Calls `visit(window, outIndex)` for every output pixel of every plane; one Window object is reused. */
function forEachWindow(xShape: readonly number[], yShape: readonly number[], attrs: Pool2dAttrs, visit: (win: Window, out: number) => void): void {
  const [n, c, h, w] = xShape as [number, number, number, number];
  const [oh, ow] = [yShape[2]!, yShape[3]!];
  const [kh, kw] = attrs.kernel;
  const [sh, sw] = attrs.stride;
  const [ph, pw] = attrs.padding;
  const win: Window = { plane: 0, y0: 0, y1: 0, x0: 0, x1: 0, padded: 0 };
  let out = 0;
  for (let p = 0; p < n * c; p++) {
    win.plane = p * h * w;
    for (let oy = 0; oy < oh; oy++) {
      const ys = oy * sh - ph;
      const ye = Math.min(ys + kh, h + ph);
      win.y0 = Math.max(ys, 0);
      win.y1 = Math.min(ye, h);
      for (let ox = 0; ox < ow; ox++, out++) {
        const xs = ox * sw - pw;
        const xe = Math.min(xs + kw, w + pw);
        win.x0 = Math.max(xs, 0);
        win.x1 = Math.min(xe, w);
        win.padded = (ye - ys) * (xe - xs);
        visit(win, out);
      }
    }
  }
}

/**
 * Offset of the window's maximum: the first maximal element in row-major order, except that NaN
 * wins (PyTorch's rule). Padding never competes; an all −∞ window picks its first element.
 */
function argmaxIn(x: Float32Array, win: Window, w: number): number {
  let best = win.plane + win.y0 * w + win.x0;
  let max = -Infinity;
  for (let y = win.y0; y < win.y1; y++) {
    for (let i = win.plane + y * w + win.x0, end = i + win.x1 - win.x0; i < end; i++) {
      const v = x[i]!;
      if (v > max || v !== v) {
        max = v;
        best = i;
      }
    }
  }
  return best;
}

/** The averaging divisor: the padded area, or only the input pixels the window covers. */
function divisor(win: Window, attrs: Pool2dAttrs): number {
  return attrs.countIncludePad ? win.padded : (win.y1 - win.y0) * (win.x1 - win.x0);
}

const maxPool2d: JsKernel<Pool2dAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const xi = inputs[0]!;
  const x = xi.dataId.values as Float32Array;
  const w = xi.shape[3]!;
  const y = new Float32Array(sizeOf(outputs[0]!.shape));
  forEachWindow(xi.shape, outputs[0]!.shape, attrs, (win, o) => {
    y[o] = win.y1 > win.y0 && win.x1 > win.x0 ? x[argmaxIn(x, win, w)]! : -Infinity;
  });
  return [backend.adopt(y)];
};

const avgPool2d: JsKernel<Pool2dAttrs> = ({ backend, inputs, attrs, outputs }) => {
  const xi = inputs[0]!;
  const x = xi.dataId.values as Float32Array;
  const w = xi.shape[3]!;
  const y = new Float32Array(sizeOf(outputs[0]!.shape));
  forEachWindow(xi.shape, outputs[0]!.shape, attrs, (win, o) => {
    let sum = 0;
    for (let yy = win.y0; yy < win.y1; yy++) {
      for (let i = win.plane + yy * w + win.x0, end = i + win.x1 - win.x0; i < end; i++) sum += x[i]!;
    }
    y[o] = sum / divisor(win, attrs);
  });
  return [backend.adopt(y)];
};

/** Each window's gradient goes to its maximum (the element the forward pass picked). */
const maxPool2dGrad: JsKernel<Pool2dAttrs> = ({ backend, inputs, attrs }) => {
  const [dyi, xi] = inputs;
  const dy = dyi.dataId.values as Float32Array;
  const x = xi.dataId.values as Float32Array;
  const dx = new Float32Array(x.length);
  const w = xi.shape[3]!;
  forEachWindow(xi.shape, dyi.shape, attrs, (win, o) => {
    if (win.y1 > win.y0 && win.x1 > win.x0) dx[argmaxIn(x, win, w)] += dy[o]!;
  });
  return [backend.adopt(dx)];
};

/** Each window's gradient is shared evenly by the input pixels it averaged. */
const avgPool2dGrad: JsKernel<Pool2dAttrs> = ({ backend, inputs, attrs }) => {
  const [dyi, xi] = inputs;
  const dy = dyi.dataId.values as Float32Array;
  const dx = new Float32Array(xi.dataId.values.length);
  const w = xi.shape[3]!;
  forEachWindow(xi.shape, dyi.shape, attrs, (win, o) => {
    const share = dy[o]! / divisor(win, attrs);
    for (let yy = win.y0; yy < win.y1; yy++) {
      for (let i = win.plane + yy * w + win.x0, end = i + win.x1 - win.x0; i < end; i++) dx[i] += share;
    }
  });
  return [backend.adopt(dx)];
};

export const poolKernels: Record<string, JsKernel> = { maxPool2d, avgPool2d, maxPool2dGrad, avgPool2dGrad };
