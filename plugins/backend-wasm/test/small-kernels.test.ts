// Reductions over non-adjacent axes and `where`'s stride fast paths, against the js backend.
import test from 'ava';
import * as fv from '@fovea/core';
import '@fovea/backend-js';
import { registerWasmBackend } from '../src/index.js';

registerWasmBackend('wasm-small', { threads: 2 });

/** `f`'s outputs on js and on wasm from the same seed. */
async function both(f: () => fv.Tensor[]): Promise<[fv.NestedArray[], fv.NestedArray[]]> {
  const values: fv.NestedArray[][] = [];
  for (const backend of ['js', 'wasm-small']) {
    await fv.setBackend(backend);
    fv.manualSeed(7);
    const outs = fv.tidy(f);
    values.push(outs.map((o) => o.toArray()));
    fv.dispose(outs);
  }
  return values as [fv.NestedArray[], fv.NestedArray[]];
}

function close(t: import('ava').ExecutionContext, got: fv.NestedArray, want: fv.NestedArray, tolerance = 1e-5): void {
  const g = [got].flat(Infinity) as number[];
  const w = [want].flat(Infinity) as number[];
  t.is(g.length, w.length);
  g.forEach((v, i) => t.true(Math.abs(v - w[i]!) <= tolerance * Math.max(1, Math.abs(w[i]!)), `element ${i}: ${v} vs ${w[i]}`));
}

const reductions: [string, number[], number[]][] = [
  ['a conv bias gradient: axes 0, 2, 3 of NCHW', [5, 3, 6, 7], [0, 2, 3]],
  ['axes 0 and 2 of three', [4, 5, 6], [0, 2]],
  ['axes 1 and 3, the middle run kept', [3, 4, 5, 6], [1, 3]],
  ['axes given out of order and repeated', [3, 4, 5, 6], [3, 0, 3, 1]],
  ['a run of one axis', [4, 5, 6], [1]],
  ['an empty reduced axis', [3, 0, 4], [0, 1]],
];

for (const [name, shape, axes] of reductions) {
  test.serial(`sum and max over ${name}`, async (t) => {
    const [want, got] = await both(() => {
      const x = fv.randn(shape);
      const outs = [fv.sum(x, axes), fv.sum(fv.less(x, 0), axes), fv.sum(fv.randint(-9, 9, shape), axes, true)];
      return shape.includes(0) ? outs : [...outs, fv.max(x, axes), fv.max(fv.randint(-9, 9, shape), axes)];
    });
    got.forEach((g, i) => close(t, g, want[i]!));
  });
}

const wheres: [string, number[], number[], number[]][] = [
  ["relu's gradient: a mask, a tensor and a scalar", [2, 3, 40], [2, 3, 40], []],
  ['a scalar first branch', [2, 3, 40], [], [2, 3, 40]],
  ['everything contiguous', [5, 33], [5, 33], [5, 33]],
  ['a broadcast mask row', [1, 33], [5, 33], [5, 33]],
  ['branches broadcast along rows and columns', [4, 1], [1, 6], [4, 6]],
];

for (const [name, cond, a, b] of wheres) {
  test.serial(`where with ${name}`, async (t) => {
    const [want, got] = await both(() => {
      const c = fv.less(fv.randn(cond), 0);
      return [fv.where(c, fv.randn(a), fv.randn(b)), fv.where(c, fv.less(fv.randn(a), 0), fv.less(fv.randn(b), 0)), fv.where(c, fv.randint(0, 9, a), fv.randint(0, 9, b))];
    });
    t.deepEqual(got, want);
  });
}
