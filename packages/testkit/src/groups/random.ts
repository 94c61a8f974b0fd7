/** Seeded randomness: repeatable draws and inverted dropout's mask, scale and gradient. */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import type { Check } from '../check.js';
import { readAll } from '../host.js';

function draws(): Tensor[] {
  fv.manualSeed(3);
  return [fv.randn([4]), fv.rand([4]), fv.randint(0, 10, [4])];
}

export function randomChecks(): Check[] {
  return [
    {
      name: 'manualSeed makes randn, rand and randint repeatable',
      async run(t) {
        const [first, second] = [await readAll(draws), await readAll(draws)];
        t.deepEqual(first, second);
      },
    },
    {
      name: 'dropout zeroes about p of the values and scales the rest by 1/(1-p)',
      async run(t) {
        fv.manualSeed(1);
        const [y] = await readAll(() => [fv.dropout(fv.ones([2000]), 0.25)]);
        const zeros = y!.filter((v) => v === 0).length / y!.length;
        t.true(y!.every((v) => v === 0 || Math.abs(v - 4 / 3) < 1e-6), 'values are 0 or 1/(1-p)');
        t.true(Math.abs(zeros - 0.25) < 0.04, `fraction of zeros ${zeros}`);
      },
    },
    {
      name: 'dropout outside training is the identity',
      async run(t) {
        const [y] = await readAll(() => [fv.dropout(fv.tensor([1, -2, 3]), 0.5, false)]);
        t.deepEqual(y, [1, -2, 3]);
      },
    },
    {
      name: 'dropout backpropagates through the forward mask',
      async run(t) {
        fv.manualSeed(2);
        const [y, g] = await readAll(() => {
          const x = fv.ones([50], { requiresGrad: true });
          const out = fv.dropout(x, 0.5);
          return [out, fv.grad(fv.sum(out), [x])[0]!];
        });
        t.deepEqual(g, y);
      },
    },
  ];
}
