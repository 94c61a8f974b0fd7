import { dispose, tidy, type Tensor } from '@fovea/core';

/** Host copies of tensors made in a tidy scope (read asynchronously), which are then freed. */
export async function readAll(make: () => Tensor[]): Promise<number[][]> {
  const tensors = tidy(make);
  try {
    return await Promise.all(tensors.map(async (t) => [...(await t.data())]));
  } finally {
    dispose(tensors);
  }
}
