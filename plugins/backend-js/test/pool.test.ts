import test from 'ava';
import { kernels } from '../src/index.js';
import { host, maxError, randomTensor, runKernel } from './helpers.js';

type Pair = [number, number];
interface Case {
  x: number[];
  kernel: Pair;
  stride: Pair;
  padding: Pair;
  ceilMode?: boolean;
}

const cases: Case[] = [
  { x: [2, 3, 6, 6], kernel: [2, 2], stride: [2, 2], padding: [0, 0] },
  { x: [1, 2, 7, 7], kernel: [3, 3], stride: [2, 2], padding: [1, 1] },
  { x: [1, 2, 5, 7], kernel: [3, 3], stride: [3, 3], padding: [0, 0] },
  { x: [2, 2, 8, 8], kernel: [3, 3], stride: [1, 1], padding: [1, 1] },
  { x: [1, 1, 5, 6], kernel: [2, 3], stride: [1, 2], padding: [1, 1] },
  // Ceil mode keeps a last, partial window that starts inside the input or its left padding.
  { x: [1, 1, 5, 5], kernel: [2, 2], stride: [2, 2], padding: [0, 0], ceilMode: true },
  { x: [1, 2, 6, 7], kernel: [3, 3], stride: [2, 2], padding: [1, 1], ceilMode: true },
  { x: [2, 1, 7, 5], kernel: [3, 2], stride: [3, 2], padding: [1, 0], ceilMode: true },
];

function yShape(c: Case): number[] {
  const out = (d: 0 | 1) => {
    const span = c.x[2 + d]! + 2 * c.padding[d] - c.kernel[d];
    const n = (c.ceilMode ? Math.ceil(span / c.stride[d]) : Math.floor(span / c.stride[d])) + 1;
    return c.ceilMode && (n - 1) * c.stride[d] >= c.x[2 + d]! + c.padding[d] ? n - 1 : n;
  };
  return [c.x[0]!, c.x[1]!, out(0), out(1)];
}

/**
 * Each output pixel's window, as flat input offsets of its real (unpadded) pixels in row-major
 * order, and its area counting padding (PyTorch's countIncludePad divisor).
 */
function windows(c: Case): { cells: number[]; padded: number }[] {
  const [, , oh, ow] = yShape(c) as [number, number, number, number];
  const [n, ch, h, w] = c.x as [number, number, number, number];
  const result: { cells: number[]; padded: number }[] = [];
  for (let p = 0; p < n * ch; p++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        const cells: number[] = [];
        let padded = 0;
        for (let i = 0; i < c.kernel[0]; i++)
          for (let j = 0; j < c.kernel[1]; j++) {
            const iy = y * c.stride[0] - c.padding[0] + i;
            const ix = x * c.stride[1] - c.padding[1] + j;
            if (iy < h + c.padding[0] && ix < w + c.padding[1]) padded++;
            if (iy >= 0 && iy < h && ix >= 0 && ix < w) cells.push((p * h + iy) * w + ix);
          }
        result.push({ cells, padded });
      }
  return result;
}

const f32 = (shape: number[]) => [{ shape, dtype: 'float32' as const }];

test('maxPool2d and its gradient match the definition; padding never wins', (t) => {
  for (const c of cases) {
    // All-negative inputs: a padded zero would win if padding took part.
    const x = host(c.x, Array.from(randomTensor(c.x, 9).values, (v) => v - 2));
    const dy = randomTensor(yShape(c), 10);
    const attrs = { kernel: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode ?? false };
    const wins = windows(c);
    const firstMax = wins.map(({ cells }) => cells.reduce((best, i) => (x.values[i]! > x.values[best]! ? i : best)));
    const dx = new Float64Array(x.values.length);
    firstMax.forEach((i, o) => (dx[i] += dy.values[o]!));
    const [y] = runKernel(kernels.maxPool2d!, [x], attrs, f32(yShape(c)));
    const [gx] = runKernel(kernels.maxPool2dGrad!, [dy, x], attrs, f32(c.x));
    t.true(maxError(y!.values, firstMax.map((i) => x.values[i]!)) === 0, `y ${c.x} ${c.kernel} ${c.ceilMode}`);
    t.true(maxError(gx!.values, dx) < 1e-6, `dx ${c.x} ${c.kernel} ${c.ceilMode}`);
  }
});

test('avgPool2d and its gradient match the definition with and without countIncludePad', (t) => {
  for (const c of cases) {
    for (const countIncludePad of [true, false]) {
      const x = randomTensor(c.x, 11);
      const dy = randomTensor(yShape(c), 12);
      const attrs = { kernel: c.kernel, stride: c.stride, padding: c.padding, ceilMode: c.ceilMode ?? false, countIncludePad };
      const wins = windows(c);
      const divisors = wins.map(({ cells, padded }) => (countIncludePad ? padded : cells.length));
      const y = wins.map(({ cells }, o) => cells.reduce((s, i) => s + x.values[i]!, 0) / divisors[o]!);
      const dx = new Float64Array(x.values.length);
      wins.forEach(({ cells }, o) => cells.forEach((i) => (dx[i] += dy.values[o]! / divisors[o]!)));
      const [gotY] = runKernel(kernels.avgPool2d!, [x], attrs, f32(yShape(c)));
      const [gotDx] = runKernel(kernels.avgPool2dGrad!, [dy, x], attrs, f32(c.x));
      t.true(maxError(gotY!.values, y) < 1e-6, `y ${c.x} ${c.kernel} ${countIncludePad}`);
      t.true(maxError(gotDx!.values, dx) < 1e-6, `dx ${c.x} ${c.kernel} ${countIncludePad}`);
    }
  }
});

test("the notes' max-pool figure (§5.4.2), and ties route to the first maximum", (t) => {
  const x = host([1, 1, 4, 4], [1, 1, 2, 4, 5, 6, 7, 8, 3, 2, 1, 0, 1, 2, 3, 4]);
  const attrs = { kernel: [2, 2], stride: [2, 2], padding: [0, 0] };
  t.deepEqual([...runKernel(kernels.maxPool2d!, [x], attrs, f32([1, 1, 2, 2]))[0]!.values], [6, 8, 3, 4]);
  const ties = host([1, 1, 2, 2], [7, 7, 7, 7]);
  const [dx] = runKernel(kernels.maxPool2dGrad!, [host([1, 1, 1, 1], [1]), ties], attrs, f32([1, 1, 2, 2]));
  t.deepEqual([...dx!.values], [1, 0, 0, 0]);
});

test('a 3×3 average with one pixel of padding divides corners by 9 or by 4', (t) => {
  const x = host([1, 1, 2, 2], [4, 4, 4, 4]);
  const base = { kernel: [3, 3], stride: [1, 1], padding: [1, 1] };
  t.deepEqual([...runKernel(kernels.avgPool2d!, [x], { ...base, countIncludePad: true }, f32([1, 1, 2, 2]))[0]!.values], [16 / 9, 16 / 9, 16 / 9, 16 / 9].map(Math.fround));
  t.deepEqual([...runKernel(kernels.avgPool2d!, [x], { ...base, countIncludePad: false }, f32([1, 1, 2, 2]))[0]!.values], [4, 4, 4, 4]);
});
