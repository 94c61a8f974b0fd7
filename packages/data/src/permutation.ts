import type { Generator } from '@fovea/core';

/** A random permutation of [0, n) by Fisher–Yates with the given generator. */
export function permutation(n: number, rng: Generator): number[] {
  const p = [...Array(n).keys()];
  for (let i = n - 1; i > 0; i--) {
    const j = rng.integer(0, i + 1);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
