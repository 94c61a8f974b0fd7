import type { ExecutionContext } from 'ava';
import type { TypedArray } from '@fovea/core';
import { TILE_CONFIGS, type TileName } from '../src/tile-config.js';
import { WebGPUBackend } from '../src/webgpu-backend.js';
import { gpuSuite, randomValues, relError, runKernel, type HostTensor } from './helpers.js';
import { inputsFor, referenceKernel } from './reference.js';
import { GEMM_OPS, allKernelCalls, type KernelCall } from './variants.js';

const { backend, gpuTest } = await gpuSuite();

/** Bounds from the golden-data README: elementwise 1e-5, everything that sums 1e-4. */
const ELEMENTWISE = new Set(['neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh', 'add', 'sub', 'mul', 'div', 'pow', 'maximum', 'cast', 'where']);

/** Larger shapes for the paths small ones miss: partial GEMM tiles, many k steps, tree sums. */
const LARGE: KernelCall[] = [
  { op: 'batchMatmul', inputs: [{ shape: [1, 70, 33], dtype: 'float32' }, { shape: [1, 33, 129], dtype: 'float32' }], attrs: { transposeA: false, transposeB: false }, outputs: [{ shape: [1, 70, 129], dtype: 'float32' }] },
  { op: 'batchMatmul', inputs: [{ shape: [3, 40, 17], dtype: 'float32' }, { shape: [3, 65, 40], dtype: 'float32' }], attrs: { transposeA: true, transposeB: true }, outputs: [{ shape: [3, 17, 65], dtype: 'float32' }] },
  ...[false, true].flatMap((transposeA) =>
    [false, true].map(
      (transposeB): KernelCall => ({
        op: 'batchMatmul',
        inputs: [
          { shape: transposeA ? [2, 36, 72] : [2, 72, 36], dtype: 'float32' },
          { shape: transposeB ? [2, 132, 36] : [2, 36, 132], dtype: 'float32' },
        ],
        attrs: { transposeA, transposeB },
        outputs: [{ shape: [2, 72, 132], dtype: 'float32' }],
      }),
    ),
  ),
  {
    op: 'conv2d',
    inputs: [{ shape: [2, 8, 9, 9], dtype: 'float32' }, { shape: [16, 8, 3, 3], dtype: 'float32' }],
    attrs: { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 },
    outputs: [{ shape: [2, 16, 9, 9], dtype: 'float32' }],
  },
  {
    op: 'conv2dBackpropFilter',
    inputs: [{ shape: [2, 8, 9, 9], dtype: 'float32' }, { shape: [2, 16, 5, 5], dtype: 'float32' }],
    attrs: { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1, filterShape: [16, 8, 3, 3] },
    outputs: [{ shape: [16, 8, 3, 3], dtype: 'float32' }],
  },
  {
    op: 'conv2dBackpropInput',
    inputs: [{ shape: [2, 16, 5, 5], dtype: 'float32' }, { shape: [16, 8, 3, 3], dtype: 'float32' }],
    attrs: { stride: [2, 2], padding: [1, 1], dilation: [1, 1], groups: 1, inputShape: [2, 8, 9, 9] },
    outputs: [{ shape: [2, 8, 9, 9], dtype: 'float32' }],
  },
  { op: 'sum', inputs: [{ shape: [5000], dtype: 'float32' }], attrs: { axes: [0], keepdim: false }, outputs: [{ shape: [], dtype: 'float32' }] },
  { op: 'softmax', inputs: [{ shape: [2, 300], dtype: 'float32' }], attrs: { axis: 1 }, outputs: [{ shape: [2, 300], dtype: 'float32' }] },
];

const calls = [...allKernelCalls(), ...LARGE];

const title = (call: KernelCall) => `${call.op} ${call.inputs.map((x) => `${x.dtype}[${x.shape.join(',')}]`).join(' ')} ${JSON.stringify(call.attrs)}`;

/** Runs `call` on `b` and on the reference backend; asserts they agree. */
async function matchesReference(t: ExecutionContext, b: WebGPUBackend, call: KernelCall, seed: number): Promise<void> {
  const inputs = inputsFor(call, seed);
  const expected = referenceKernel(call.op, inputs, call.attrs, call.outputs);
  const actual = await runKernel(b, call.op, inputs, call.attrs, call.outputs);
  if (call.op === 'sum' && actual[0] instanceof Float32Array) return assertSumClose(t, actual[0], expected[0]!, referenceKernel('sum', [absolute(inputs[0]!)], call.attrs, call.outputs)[0]!);
  actual.forEach((got, k) => assertClose(t, call.op, got, expected[k]!));
}

const absolute = (x: HostTensor): HostTensor => ({ ...x, values: (x.values as Float32Array).map(Math.abs) });

/**
 * A float sum against the reference, which adds in another order: each output within 1e-4 of
 * the sum of its terms' magnitudes, what any order can promise. Relative to the sum itself the
 * error is unbounded where terms cancel (5000 values in [-1, 1): a tree of partial
 * sums and the reference's running sum differed by 1.1e-4 of the result).
 */
function assertSumClose(t: ExecutionContext, got: TypedArray, want: TypedArray, magnitude: TypedArray): void {
  const err = Math.max(0, ...[...got].map((g, i) => Math.abs(g - want[i]!) / Math.max(magnitude[i]!, Number.MIN_VALUE)));
  t.true(err < 1e-4, `error ${err} of the terms' magnitude ≥ 1e-4\n got ${[...got.slice(0, 8)]}\nwant ${[...want.slice(0, 8)]}`);
}

function assertClose(t: ExecutionContext, op: string, got: TypedArray, want: TypedArray): void {
  t.is(got.constructor, want.constructor);
  if (got instanceof Float32Array) {
    const bound = ELEMENTWISE.has(op) ? 1e-5 : 1e-4;
    const err = relError(got, want);
    t.true(err < bound, `relative error ${err} ≥ ${bound}\n got ${[...got.slice(0, 8)]}\nwant ${[...want.slice(0, 8)]}`);
  } else t.deepEqual([...got], [...want]);
}

calls.forEach((call, i) => {
  gpuTest(`matches the reference backend: ${title(call)}`, (t) => matchesReference(t, backend!, call, i));
});

/**
 * One call per GEMM path, for the other tile configurations (SwiftShader compiles their big
 * unrolled shaders slowly): the large shapes (staged, partial tiles, every vec4 transpose case,
 * the three convolutions), a short reduction (direct), a long one over one tile (split-K) and
 * the grouped, strided, dilated convolutions (direct), fusedConv2d's epilogue in the staged
 * kernel and in split-K's finishing pass, the staged kernel's vec4 loads along k, and 1×1
 * convolutions (small here, so on the conv GEMM; the vec4 matmul's 1×1 path has a test below).
 */
const TILE_PATHS = [
  ...LARGE.filter((c) => GEMM_OPS.has(c.op)),
  ...calls.filter((c) => c.op === 'batchMatmul' && (c.inputs[0]!.shape[2] === 7 || c.inputs[0]!.shape[2] === 700) && !c.attrs.transposeA),
  ...calls.filter((c) => c.op.startsWith('conv2d') && c.attrs.groups === 2),
  ...calls.filter((c) => (c.op === 'conv2d' || c.op === 'conv2dBackpropInput') && c.inputs[1]!.shape[2] === 1),
  ...calls.filter((c) => c.op === 'fusedConv2d' && c.attrs.groups === 1),
  // Staged with vec4 loads along k: A of a matmul and of both filter-gradient shapes, B of Bᵀ.
  ...calls.filter((c) => c.op === 'batchMatmul' && c.inputs[0]!.shape.includes(40) && !c.attrs.transposeA),
  ...calls.filter((c) => c.op === 'batchMatmul' && c.inputs[0]!.shape[1] === 64),
  ...calls.filter((c) => c.op === 'conv2dBackpropFilter' && c.inputs[0]!.shape[1] === 8 && c.attrs.groups === 1),
];

// The adapter's own configuration ran every call above; each other one runs the GEMM paths.
const others = (Object.keys(TILE_CONFIGS) as TileName[]).filter((name) => name !== backend?.tiles.name);
for (const name of others) {
  gpuTest(`the '${name}' tile configuration matches the reference backend on each GEMM path`, async (t) => {
    const b = await WebGPUBackend.create({ tiles: name, checkKeys: true });
    try {
      for (const [i, call] of TILE_PATHS.entries()) await matchesReference(t, b, call, i);
    } finally {
      b.dispose();
    }
  });
}

/** The keys of the programs `b` runs from now on, in order. */
function programKeys(b: WebGPUBackend): string[] {
  const keys: string[] = [];
  const run = b.run.bind(b);
  b.run = (program, inputs, outputs) => {
    keys.push(program.key);
    run(program, inputs, outputs);
  };
  return keys;
}

gpuTest('aligned 1×1 convolutions and their input gradients run as the vec4 matmul (filter shared by every image); others as the conv GEMM', async (t) => {
  // A split-K target of 2 workgroups: these small outputs count as big enough for the vec4 kernel.
  const b = await WebGPUBackend.create({ tiles: { ...TILE_CONFIGS.large, targetWorkgroups: 2 }, checkKeys: true });
  const keys = programKeys(b);
  try {
    const pointwise = calls.filter((c) => /onv2d|BackpropInput/.test(c.op) && c.inputs[1]!.shape[2] === 1 && c.inputs[1]!.shape[3] === 1);
    for (const [i, call] of pointwise.entries()) await matchesReference(t, b, call, i);
    const kinds = keys.filter((k) => /^(matmul4|gemm)/.test(k)).map((k) => k.split(':').slice(0, 3).join(':'));
    // H·W = 16, then 9 (not a multiple of 4: the GEMM), forward and input gradient (filter
    // transposed); then fusedConv2d's 16 with its epilogue in the store.
    t.deepEqual(kinds, [
      'matmul4:NN:sharedA',
      'matmul4:TN:sharedA',
      'gemm:conv2d:direct',
      'gemm:conv2dBackpropInput:direct',
      'matmul4:NN:sharedA+conv1x1+bias+residual+relu',
    ]);
  } finally {
    b.dispose();
  }
});

gpuTest('a vec4 matmul of whole tiles and steps runs unchecked (:al), others with bounds checks', async (t) => {
  const b = await WebGPUBackend.create({ tiles: 'default', checkKeys: true });
  const keys = programKeys(b);
  try {
    const vec4 = calls.filter((c) => c.op === 'batchMatmul' && !c.attrs.transposeA && !c.attrs.transposeB && [8, 64].includes(c.inputs[0]!.shape[1]!));
    for (const [i, call] of vec4.entries()) await matchesReference(t, b, call, i);
    // 8×12 · 12×16 is a part of one 64×64 tile; 64×32 · 32×64 is one whole tile and two steps of 16.
    t.deepEqual(keys.map((k) => [k.split(':')[0], k.includes(':al:')]), [['matmul4', false], ['matmul4', true]]);
  } finally {
    b.dispose();
  }
});

gpuTest('a 1×1 convolution with fewer tiles than half the split-K target stays on the conv GEMM, which splits', async (t) => {
  const b = await WebGPUBackend.create({ tiles: 'large', checkKeys: true });
  const keys = programKeys(b);
  try {
    // 64 output channels over 8² positions of one image, reducing over 512: one 64×64 tile.
    const attrs = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    const call: KernelCall = { op: 'conv2d', inputs: [{ shape: [1, 512, 8, 8], dtype: 'float32' }, { shape: [64, 512, 1, 1], dtype: 'float32' }], attrs, outputs: [{ shape: [1, 64, 8, 8], dtype: 'float32' }] };
    await matchesReference(t, b, call, 0);
    t.deepEqual(keys.map((k) => k.split(':').slice(0, 5).join(':')), ['gemm:conv2d:staged:va:partial', 'gemm:conv2d:finish']);
  } finally {
    b.dispose();
  }
});

/** Same value, NaN equal to NaN, ±inf exact, finite values within 1e-5 relative. */
function sameSpecial(a: number, b: number): boolean {
  if (Number.isNaN(b)) return Number.isNaN(a);
  if (!Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(b));
}

const SPECIAL = new Float32Array([0, -0, -1, Infinity, -Infinity, NaN, 100, -100, 0.5, 30]);

for (const op of ['neg', 'abs', 'exp', 'log', 'sqrt', 'relu', 'sigmoid', 'tanh']) {
  gpuTest(`special values follow IEEE/PyTorch: ${op}`, async (t) => {
    const x = { values: SPECIAL, shape: [SPECIAL.length] };
    const out = [{ shape: x.shape, dtype: 'float32' as const }];
    const want = referenceKernel(op, [x], {}, out)[0]!;
    const got = (await runKernel(backend!, op, [x], {}, out))[0]!;
    const wrong = [...SPECIAL].map((v, i) => [v, got[i]!, want[i]!]).filter(([, g, w]) => !sameSpecial(g!, w!));
    t.deepEqual(wrong, [], 'rows of [input, got, want]');
  });
}

gpuTest('maximum propagates NaN', async (t) => {
  const a = { values: new Float32Array([NaN, 1, 2]), shape: [3] };
  const b = { values: new Float32Array([0, NaN, 1]), shape: [3] };
  const [y] = await runKernel(backend!, 'maximum', [a, b], {}, [{ shape: [3], dtype: 'float32' }]);
  t.deepEqual([...y!], [NaN, NaN, 2]);
});

gpuTest('max and argmax treat NaN as the maximum (the first NaN for argmax)', async (t) => {
  const x = { values: new Float32Array([1, NaN, 3, NaN, 2, 0, 5, 4]), shape: [2, 4] };
  const [m] = await runKernel(backend!, 'max', [x], { axes: [1], keepdim: false }, [{ shape: [2], dtype: 'float32' }]);
  const [i] = await runKernel(backend!, 'argmax', [x], { axis: 1, keepdim: false }, [{ shape: [2], dtype: 'int32' }]);
  t.deepEqual([...m!], [NaN, 5]);
  t.deepEqual([...i!], [1, 2]);
  const long = new Float32Array(1000).fill(1);
  long[700] = NaN;
  long[900] = NaN;
  const [li] = await runKernel(backend!, 'argmax', [{ values: long, shape: [1000] }], { axis: 0, keepdim: false }, [{ shape: [], dtype: 'int32' }]);
  t.deepEqual([...li!], [700], 'the workgroup tree keeps the first NaN too');
});

gpuTest('cast: NaN is true, floats truncate toward zero', async (t) => {
  const x = { values: new Float32Array([NaN, 0, -0, 2.7, -2.7]), shape: [5] };
  const [b] = await runKernel(backend!, 'cast', [x], { dtype: 'bool' }, [{ shape: [5], dtype: 'bool' }]);
  t.deepEqual([...b!], [1, 0, 0, 1, 1]);
  const [i] = await runKernel(backend!, 'cast', [{ values: x.values.slice(1), shape: [4] }], { dtype: 'int32' }, [{ shape: [4], dtype: 'int32' }]);
  t.deepEqual([...i!], [0, 0, 2, -2]);
});

gpuTest('pow special cases match Math.pow', async (t) => {
  const a = new Float32Array([NaN, 1, 0, 0, -8, -2, -2, 4, Infinity]);
  const b = new Float32Array([0, NaN, -1, 2, 1 / 3, 3, 2, -0.5, -1]);
  const [y] = await runKernel(backend!, 'pow', [{ values: a, shape: [9] }, { values: b, shape: [9] }], {}, [{ shape: [9], dtype: 'float32' }]);
  const want = [...a].map((v, k) => Math.fround(Math.pow(v, b[k]!)));
  t.deepEqual([...y!], want);
});

gpuTest('sum and max split a long reduction with few outputs across workgroups, and match the reference', async (t) => {
  // A batch norm's shape in miniature: 3 channels of 4 × 1500 values, reduced over dims 0 and 2.
  // Fewer outputs than the tiles' targetWorkgroups and ≥ 2 pieces of 2048: the split path.
  const shape = [4, 3, 1500];
  const n = 4 * 3 * 1500;
  const cases: [string, Float32Array | Int32Array][] = [
    ['sum', randomValues(n, 7)],
    ['max', randomValues(n, 8)],
    ['sum', Int32Array.from(randomValues(n, 9), (v) => Math.round(v * 100))],
  ];
  const withNaN = randomValues(n, 10);
  withNaN[4 * 1500 + 17] = NaN; // channel 0 of image 1
  cases.push(['max', withNaN]);
  for (const [op, values] of cases) {
    const dtype = values instanceof Int32Array ? 'int32' : 'float32';
    const out = [{ shape: [3], dtype } as const];
    const before = backend!.context.dispatched;
    const [got] = await runKernel(backend!, op, [{ values, shape }], { axes: [0, 2], keepdim: false }, out);
    t.is(backend!.context.dispatched - before, 2, `${op} ${dtype}: pieces, then their reduction`);
    const want = referenceKernel(op, [{ values, shape }], { axes: [0, 2], keepdim: false }, out)[0]!;
    // Sums in another order: equal to a few ulps of the sum's magnitude; NaN where the reference has it.
    const close = [...got!].every((g, i) => (Number.isNaN(want[i]!) ? Number.isNaN(g) : Math.abs(g - want[i]!) <= 1e-5 * Math.max(1, Math.abs(want[i]!))));
    t.true(close, `${op} ${dtype}: ${[...got!]} vs ${[...want]}`);
  }
});
