import { dispose, tidy, type Tensor } from '@fovea/core';
import type { Check } from '../check.js';
import { expectClose, type Expected } from '../compare.js';

/** A computation with a known result. */
export interface ValueCase {
  readonly name: string;
  readonly fn: () => Tensor;
  readonly expect: Expected;
}

/** Checks for a table of value cases: shape, dtype and values within the elementwise tolerance. */
export function valueChecks(cases: readonly ValueCase[]): Check[] {
  return cases.map((c) => ({
    name: c.name,
    async run(t, tolerances) {
      const out = tidy(c.fn);
      try {
        await expectClose(t, out, c.expect, tolerances.elementwise, c.name);
      } finally {
        dispose(out);
      }
    },
  }));
}
