/** The CS231n notes' worked examples, to the precision the notes print. */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import type { Check } from '../check.js';
import { readAll } from '../host.js';

interface NoteCase {
  readonly name: string;
  /** Host values, computed on the backend and read back. */
  readonly fn: () => Promise<number[]>;
  readonly expect: readonly number[];
  /** Absolute tolerance: half a unit of the notes' last printed digit. */
  readonly within: number;
}

const f = (...values: number[]) => fv.tensor(Float32Array.from(values), [values.length], { requiresGrad: true });

const scores = () => fv.tensor([[3.2, 5.1, -1.7], [1.3, 4.9, 2.0], [2.2, 2.5, -3.1]]);
const labels = () => fv.tensor(Int32Array.from([0, 1, 2]));

const CASES: NoteCase[] = [
  {
    name: 'f = (x + y) z at (-2, 5, -4) has gradients (-4, -4, 3)',
    fn: async () => {
      const [dx, dy, dz] = await readAll(() => {
        const [x, y, z] = [f(-2), f(5), f(-4)];
        return fv.grad(fv.mul(fv.add(x, y), z), [x, y, z]) as Tensor[];
      });
      return [...dx!, ...dy!, ...dz!];
    },
    expect: [-4, -4, 3],
    within: 1e-6,
  },
  {
    name: 'sigmoid neuron w = [2, -3, -3], x = [-1, -2] has gradients (w0, x0, w1, x1, w2) = (-0.20, 0.39, -0.39, -0.59, 0.20)',
    fn: async () => {
      const [dw, dx] = await readAll(() => {
        const [w, x] = [f(2, -3, -3), f(-1, -2)];
        const dot = fv.add(fv.sum(fv.mul(fv.slice(w, [0], [2]), x)), fv.slice(w, [2], [3]));
        return fv.grad(fv.div(1, fv.add(1, fv.exp(fv.neg(dot)))), [w, x]) as Tensor[];
      });
      return [dw![0]!, dx![0]!, dw![1]!, dx![1]!, dw![2]!];
    },
    expect: [-0.2, 0.39, -0.39, -0.59, 0.2],
    within: 0.005,
  },
  {
    name: 'SVM losses of the cat, car and frog scores are 2.9, 0, 12.9',
    fn: async () => (await readAll(() => [fv.svmHinge(scores(), labels(), { reduction: 'none' })]))[0]!,
    expect: [2.9, 0, 12.9],
    within: 1e-5,
  },
  {
    name: 'softmax loss of the cat scores is 2.04 (natural log)',
    fn: async () => (await readAll(() => [fv.crossEntropy(scores(), labels(), { reduction: 'none' })]))[0]!.slice(0, 1),
    expect: [2.04],
    within: 0.005,
  },
];

export function noteChecks(): Check[] {
  return CASES.map((c) => ({
    name: c.name,
    async run(t) {
      const got = await c.fn();
      const off = got.map((v, i) => Math.abs(v - c.expect[i]!));
      t.is(got.length, c.expect.length, 'number of values');
      t.true(off.every((d) => d <= c.within), `got [${got.map((v) => v.toFixed(4)).join(', ')}], expected [${c.expect.join(', ')}] ± ${c.within}`);
    },
  }));
}
