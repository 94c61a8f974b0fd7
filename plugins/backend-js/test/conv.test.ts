import test from 'ava';
import { kernels } from '../src/index.js';
import { host, maxError, randomTensor, runKernel } from './helpers.js';

interface Case {
  x: number[];
  w: number[];
  stride: [number, number];
  padding: [number, number];
  dilation: [number, number];
  groups: number;
}

const cases: Case[] = [
  { x: [1, 1, 5, 5], w: [1, 1, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
  { x: [2, 3, 7, 7], w: [4, 3, 3, 3], stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 },
  { x: [2, 4, 8, 6], w: [6, 2, 3, 3], stride: [1, 1], padding: [2, 2], dilation: [2, 2], groups: 2 },
  { x: [1, 4, 6, 6], w: [4, 1, 3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 4 },
  { x: [2, 8, 5, 5], w: [6, 8, 1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
  { x: [2, 6, 4, 5], w: [4, 3, 1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 2 },
  { x: [1, 2, 9, 9], w: [3, 2, 3, 1], stride: [2, 1], padding: [1, 0], dilation: [1, 1], groups: 1 },
  { x: [1, 3, 6, 7], w: [2, 3, 2, 4], stride: [3, 2], padding: [0, 3], dilation: [2, 1], groups: 1 },
  { x: [1, 1, 3, 3], w: [1, 1, 1, 1], stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1 },
  // A columns matrix of 144 × 128·128 floats exceeds the 2^20 budget: built in bands of 56 rows.
  { x: [1, 16, 130, 130], w: [2, 16, 3, 3], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
];

function outSize(c: Case, d: 0 | 1): number {
  const k = c.w[2 + d]!;
  return Math.floor((c.x[2 + d]! + 2 * c.padding[d] - c.dilation[d] * (k - 1) - 1) / c.stride[d]) + 1;
}

/**
 * Visits every (output pixel, filter tap) pair of the convolution that reads a real input pixel,
 * with the flat offsets of the input, filter and output values involved: the definition that
 * forward and both gradients are checked against.
 */
function forEachProduct(c: Case, visit: (xi: number, wi: number, yi: number) => void): void {
  const [n, ch, h, w] = c.x as [number, number, number, number];
  const [o, cg, kh, kw] = c.w as [number, number, number, number];
  const [oh, ow] = [outSize(c, 0), outSize(c, 1)];
  const og = o / c.groups;
  for (let b = 0; b < n; b++)
    for (let oc = 0; oc < o; oc++)
      for (let y = 0; y < oh; y++)
        for (let x = 0; x < ow; x++)
          for (let ic = 0; ic < cg; ic++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const iy = y * c.stride[0] - c.padding[0] + i * c.dilation[0];
                const ix = x * c.stride[1] - c.padding[1] + j * c.dilation[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const channel = Math.floor(oc / og) * cg + ic;
                visit(((b * ch + channel) * h + iy) * w + ix, ((oc * cg + ic) * kh + i) * kw + j, ((b * o + oc) * oh + y) * ow + x);
              }
}

function attrs(c: Case) {
  return { stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups };
}

function yShape(c: Case): number[] {
  return [c.x[0]!, c.w[0]!, outSize(c, 0), outSize(c, 1)];
}

function f32(shape: number[]) {
  return [{ shape, dtype: 'float32' as const }];
}

function name(c: Case): string {
  return `x${c.x} w${c.w} s${c.stride} p${c.padding} d${c.dilation} g${c.groups}`;
}

test('conv2d matches the definition (stride, padding, dilation, groups, rectangular, 1×1)', (t) => {
  for (const c of cases) {
    const x = randomTensor(c.x, 1);
    const w = randomTensor(c.w, 2);
    const expected = new Float64Array(yShape(c).reduce((a, b) => a * b));
    forEachProduct(c, (xi, wi, yi) => (expected[yi] += x.values[xi]! * w.values[wi]!));
    const [y] = runKernel(kernels.conv2d!, [x, w], attrs(c), f32(yShape(c)));
    t.true(maxError(y!.values, expected) < 1e-5, name(c));
  }
});

test('conv2dBackpropInput and conv2dBackpropFilter are the adjoints of the definition', (t) => {
  for (const c of cases) {
    const x = randomTensor(c.x, 3);
    const w = randomTensor(c.w, 4);
    const dy = randomTensor(yShape(c), 5);
    const dx = new Float64Array(x.values.length);
    const dw = new Float64Array(w.values.length);
    forEachProduct(c, (xi, wi, yi) => {
      dx[xi] += w.values[wi]! * dy.values[yi]!;
      dw[wi] += x.values[xi]! * dy.values[yi]!;
    });
    const [gx] = runKernel(kernels.conv2dBackpropInput!, [dy, w], { ...attrs(c), inputShape: c.x }, f32(c.x));
    const [gw] = runKernel(kernels.conv2dBackpropFilter!, [x, dy], { ...attrs(c), filterShape: c.w }, f32(c.w));
    t.true(maxError(gx!.values, dx) < 1e-5, `dx ${name(c)}`);
    t.true(maxError(gw!.values, dw) < 1e-5, `dw ${name(c)}`);
  }
});

test('a hand-computed difference filter: y = x[i, j] − x[i+1, j+1]', (t) => {
  const x = host([1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const w = host([1, 1, 2, 2], [1, 0, 0, -1]);
  const c = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
  t.deepEqual([...runKernel(kernels.conv2d!, [x, w], c, f32([1, 1, 2, 2]))[0]!.values], [-4, -4, -4, -4]);
  // One pixel of padding and stride 2: the top and left taps fall on padding except at (1, 1), 5 − 9.
  const padded = runKernel(kernels.conv2d!, [x, w], { ...c, stride: [2, 2], padding: [1, 1] }, f32([1, 1, 2, 2]))[0]!;
  t.deepEqual([...padded.values], [-1, -3, -7, -4]);
});

test('PyTorch golden case: 5×5 input, 3×3 filter, forward and both gradients', (t) => {
  const x = host([1, 1, 5, 5], [
    0.160126805, 0.213344932, -0.272454262, -0.970604181, -0.218495011, 0.922307372, -0.288373351, 0.280076861, -0.32550478,
    0.850316405, 0.494544864, 0.899487257, -0.819528103, 0.75216186, 0.704726577, 0.478809237, -0.31588769, 0.798613071,
    0.403119922, 0.429343224, -0.255885005, -0.508425832, 0.508435965, 0.861038804, -0.712986469,
  ]);
  const w = host([1, 1, 3, 3], [0.0351848602, -7.96318054e-5, -0.597664714, -0.447599053, -0.297861457, -0.0142172575, -0.418644071, 0.98309958, 0.776550651]);
  const dy = host([1, 1, 3, 3], [0.432430744, 0.140959501, -0.263030648, -0.82636714, -0.667083979, -0.924659848, -0.700739145, 0.295482993, -0.805281401]);
  const c = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
  const y = runKernel(kernels.conv2d!, [x, w], c, f32([1, 1, 3, 3]))[0]!;
  t.true(maxError(y.values, [-0.121614988, 0.039752442, 1.71037828, -0.503382996, 1.24558027, 0.0298161291, 0.377671809, 0.861289595, -0.853758433]) < 1e-6);
  const dx = runKernel(kernels.conv2dBackpropInput!, [dy, w], { ...c, inputShape: [1, 1, 5, 5] }, f32([1, 1, 5, 5]))[0]!;
  t.true(maxError(dx.values, [
    0.0152150153, 0.00492520511, -0.267714518, -0.0842255744, 0.157204137, -0.222631204, -0.215303242, 0.531007461, 0.475108822,
    0.556376138, 0.164191174, 0.92129203, 1.59927179, -0.0407541257, 0.290177784, 0.659603881, -0.456665161, -0.62802977,
    -1.19139587, -0.706596314, 0.293360288, -0.812598562, 0.0834560508, -0.562214296, -0.625341796,
  ]) < 1e-6);
  const dw = runKernel(kernels.conv2dBackpropFilter!, [x, dy], { ...c, filterShape: [1, 1, 3, 3] }, f32([1, 1, 3, 3]))[0]!;
  t.true(maxError(dw.values, [-0.0786035406, -0.816565293, -0.76870007, -1.0383762, -0.759004316, -1.4108313, -0.747541931, -0.755718005, -1.28729227]) < 1e-6);
});

