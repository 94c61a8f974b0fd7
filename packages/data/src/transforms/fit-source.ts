import { ShapeError, ValueError } from '@fovea/core';
import type { Dataset } from '../dataset.js';
import { isHostTensor, type HostTensor } from '../host.js';

/** What fitted transforms learn from: a dataset of images or `[image, ...]` samples, or images. */
export type FitSource = Dataset<unknown> | Iterable<HostTensor>;

/**
 * Calls `fn` with each image of `source` (the first field of tuple samples), checking they all
 * share one shape, and returns that shape and the count. Fit on un-augmented training data.
 */
export async function forEachImage(source: FitSource, who: string, fn: (x: HostTensor) => void): Promise<{ shape: readonly number[]; count: number }> {
  let shape: readonly number[] | undefined;
  let count = 0;
  const visit = (sample: unknown) => {
    const x = Array.isArray(sample) ? sample[0] : sample;
    if (!isHostTensor(x)) throw new ValueError(`${who}.fit: sample ${count} is not an image (a HostTensor)`);
    shape ??= x.shape;
    if (x.shape.length !== shape.length || x.shape.some((d, i) => d !== shape![i])) {
      throw new ShapeError(`${who}.fit: image ${count} has shape [${x.shape.join(', ')}], image 0 has [${shape.join(', ')}]`);
    }
    fn(x);
    count++;
  };
  if (Symbol.iterator in source) for (const x of source) visit(x);
  else for (let i = 0; i < source.length; i++) visit(await source.getItem(i));
  if (!shape) throw new ValueError(`${who}.fit: no images to fit on`);
  return { shape, count };
}
