import test from 'ava';
import { broadcastShapes, sizeOf } from '@fovea/core';
import { kernels } from '../src/index.js';
import { host, maxError, randomTensor, ravel, runKernel, unravel, type HostTensor } from './helpers.js';

/** Reads `t` at a multi-index of the broadcast shape `out` (NumPy rules). */
function at(t: HostTensor, index: number[], out: readonly number[]): number {
  const lead = out.length - t.shape.length;
  return t.values[ravel(t.shape.map((d, i) => (d === 1 ? 0 : index[lead + i]!)), t.shape)]!;
}

function referenceBinary(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): number[] {
  const shape = broadcastShapes(a.shape, b.shape, 'test');
  return Array.from({ length: sizeOf(shape) }, (_, i) => {
    const index = unravel(i, shape);
    return f(at(a, index, shape), at(b, index, shape));
  });
}

const binaries: [string, (x: number, y: number) => number][] = [
  ['add', (x, y) => x + y],
  ['sub', (x, y) => x - y],
  ['mul', (x, y) => x * y],
  ['div', (x, y) => x / y],
  ['pow', (x, y) => Math.abs(x) ** y],
  ['maximum', Math.max],
];

const shapePairs: [number[], number[]][] = [
  [[2, 3], [2, 3]],
  [[4, 1, 3], [5, 1]],
  [[1], [3, 2]],
  [[], [2, 2]],
  [[2, 3, 4, 5], [1, 3, 1, 1]],
  [[3, 1, 2], [1, 4, 1]],
  [[0, 3], [1, 3]],
];

for (const [op, f] of binaries) {
  test(`${op} broadcasts like NumPy`, (t) => {
    for (const [sa, sb] of shapePairs) {
      let a = randomTensor(sa, 3);
      // pow of a negative base to a fractional power is NaN; keep bases positive for a useful check.
      if (op === 'pow') a = host(sa, Array.from(a.values, Math.abs));
      const b = randomTensor(sb, 7);
      const shape = broadcastShapes(sa, sb, 'test');
      const [y] = runKernel(kernels[op]!, [a, b], {}, [{ shape, dtype: 'float32' }]);
      t.true(maxError(y!.values, referenceBinary(a, b, f).map(Math.fround)) < 1e-6, `${op} ${sa} × ${sb}`);
    }
  });
}

test('comparisons return bool', (t) => {
  const a = host([2, 2], [1, 2, 3, NaN]);
  const b = host([2], [2, 2]);
  const spec = [{ shape: [2, 2], dtype: 'bool' as const }];
  t.deepEqual([...runKernel(kernels.less!, [a, b], {}, spec)[0]!.values], [1, 0, 0, 0]);
  t.deepEqual([...runKernel(kernels.equal!, [a, b], {}, spec)[0]!.values], [0, 1, 0, 0]);
});

test('int32 arithmetic stays int32 and division truncates', (t) => {
  const a = host([4], [7, -7, 5, 2], 'int32');
  const b = host([1], [2], 'int32');
  const spec = [{ shape: [4], dtype: 'int32' as const }];
  t.deepEqual([...runKernel(kernels.div!, [a, b], {}, spec)[0]!.values], [3, -3, 2, 1]);
  t.deepEqual([...runKernel(kernels.mul!, [a, b], {}, spec)[0]!.values], [14, -14, 10, 4]);
  t.true(runKernel(kernels.add!, [a, b], {}, spec)[0]!.values instanceof Int32Array);
});

test('maximum propagates NaN', (t) => {
  const [y] = runKernel(kernels.maximum!, [host([2], [NaN, 1]), host([2], [0, NaN])], {}, [{ shape: [2], dtype: 'float32' }]);
  t.true(Number.isNaN(y!.values[0]!) && Number.isNaN(y!.values[1]!));
});

test('where broadcasts all three inputs', (t) => {
  const cond = host([2, 1], [1, 0], 'bool');
  const a = host([3], [1, 2, 3]);
  const b = host([1, 1], [-1]);
  const [y] = runKernel(kernels.where!, [cond, a, b], {}, [{ shape: [2, 3], dtype: 'float32' }]);
  t.deepEqual([...y!.values], [1, 2, 3, -1, -1, -1]);
});

test('unary ops match Math, relu and sigmoid keep NaN', (t) => {
  const x = host([6], [-2, -0.5, 0, 0.5, 3, NaN]);
  const spec = [{ shape: [6], dtype: 'float32' as const }];
  const cases: [string, (v: number) => number][] = [
    ['neg', (v) => -v],
    ['abs', Math.abs],
    ['exp', Math.exp],
    ['log', Math.log],
    ['sqrt', Math.sqrt],
    ['relu', (v) => (Number.isNaN(v) ? NaN : Math.max(v, 0))],
    ['sigmoid', (v) => 1 / (1 + Math.exp(-v))],
    ['tanh', Math.tanh],
  ];
  for (const [op, f] of cases) {
    const [y] = runKernel(kernels[op]!, [x], {}, spec);
    t.true(maxError(y!.values, Array.from(x.values, f).map(Math.fround)) < 1e-6, op);
  }
  const [n] = runKernel(kernels.neg!, [host([2], [3, -4], 'int32')], {}, [{ shape: [2], dtype: 'int32' }]);
  t.deepEqual([...n!.values], [-3, 4]);
});

test('cast truncates toward zero, maps nonzero (and NaN) to true, and reuses storage for a no-op', (t) => {
  const x = host([5], [1.7, -1.7, 0, NaN, 256]);
  t.deepEqual([...runKernel(kernels.cast!, [x], { dtype: 'int32' }, [{ shape: [5], dtype: 'int32' }])[0]!.values], [1, -1, 0, 0, 256]);
  t.deepEqual([...runKernel(kernels.cast!, [x], { dtype: 'bool' }, [{ shape: [5], dtype: 'bool' }])[0]!.values], [1, 1, 0, 1, 1]);
  const b = host([2], [1, 0], 'bool');
  t.deepEqual([...runKernel(kernels.cast!, [b], { dtype: 'float32' }, [{ shape: [2], dtype: 'float32' }])[0]!.values], [1, 0]);
  const data = { values: new Float32Array([1]) };
  const backend = { adopt: () => t.fail('a no-op cast allocated') };
  const same = kernels.cast!({ backend: backend as never, inputs: [{ dataId: data, shape: [1], dtype: 'float32' }], attrs: { dtype: 'float32' }, outputs: [{ shape: [1], dtype: 'float32' }] });
  t.is(same[0], data);
});
