/** Finite-difference checks of every differentiable op's gradient, through core's `gradCheck`. */
import { dispose, gradCheck, manualSeed, rand } from '@fovea/core';
import type { Check } from '../check.js';
import { GRAD_CASES, type GradCase } from '../gradcheck-cases.js';

function inputsOf(c: GradCase) {
  manualSeed(231);
  return c.inputs.map((s) => ('shape' in s ? rand(s.shape, { low: s.low ?? -2, high: s.high ?? 2 }) : rand(s, { low: -2, high: 2 })));
}

export function gradCheckChecks(): Check[] {
  return GRAD_CASES.map((c) => ({
    name: c.name,
    async run(t, tolerances) {
      const inputs = inputsOf(c);
      try {
        const report = await gradCheck(c.fn, inputs, { tolerance: tolerances.gradCheck });
        const errors = report.inputs.map((r) => `input ${r.index}: ${r.relError.toExponential(2)}`).join(', ');
        t.is(report.inputs.length, inputs.length, 'every input is checked');
        t.true(report.ok, `relative errors ${errors} (tolerance ${tolerances.gradCheck})`);
      } finally {
        dispose(inputs);
      }
    },
  }));
}
