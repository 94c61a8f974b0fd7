import type { TensorSpec } from '../backend.js';
import { arange, zeros } from '../creation.js';
import { DTypeError, ShapeError } from '../errors.js';
import { fmtShape, normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { equal } from './elementwise.js';
import { expand, reshape, unsqueeze } from './movement.js';
import { defineOps, requireDType, requireInt, run } from './util.js';

function checkIndex(name: string, x: TensorSpec, index: TensorSpec, axis: number): void {
  requireDType(index, ['int32'], name, 'index');
  normalizeAxis(axis, x.shape.length, name);
  if (index.shape.length !== x.shape.length || index.shape.some((d, i) => i !== axis && d > x.shape[i]!)) {
    throw new ShapeError(`${name}: index ${fmtShape(index.shape)} must have the rank of ${fmtShape(x.shape)} and fit it outside dim ${axis}`);
  }
}

defineOps(
  {
    name: 'gather',
    infer: ([x, index], { axis }: { axis: number }) => {
      checkIndex('gather', x!, index!, axis);
      return [{ shape: index!.shape, dtype: x!.dtype }];
    },
    grad: ([dy], { inputs: [x, index], attrs: { axis } }) => [
      run('scatterAdd', [zeros(x!.shape, { dtype: dy!.dtype }), index!, dy!], { axis }),
      null,
    ],
  },
  {
    name: 'scatterAdd',
    infer: ([base, index, src], { axis }: { axis: number }) => {
      checkIndex('scatterAdd', base!, index!, axis);
      if (src!.dtype !== base!.dtype || src!.shape.join() !== index!.shape.join()) {
        throw new ShapeError(`scatterAdd: src ${src!.dtype} ${fmtShape(src!.shape)} must match the index shape ${fmtShape(index!.shape)} and base dtype ${base!.dtype}`);
      }
      return [{ shape: base!.shape, dtype: base!.dtype }];
    },
    grad: ([dy], { inputs: [, index], attrs: { axis } }) => [dy!, null, run('gather', [dy!, index!], { axis })],
  },
);

/** `out[…i…] = x[…index[…i…]…]` along `dim`, like `torch.gather`. Indices are int32. */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  return run('gather', [x, index], { axis: normalizeAxis(dim, x.ndim, 'gather') });
}

/** `x` with `src` added at `index` along `dim` (out of place), like `torch.scatter_add`. */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  return run('scatterAdd', [x, index, src], { axis: normalizeAxis(dim, x.ndim, 'scatterAdd') });
}

/** Picks whole slices of `x` along `dim` by a 1-D index. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.ndim !== 1) throw new ShapeError(`indexSelect: index must be 1-D, got ${fmtShape(index.shape)}`);
  if (index.dtype !== 'int32') throw new DTypeError(`indexSelect: index must be int32, got ${index.dtype}`);
  const axis = normalizeAxis(dim, x.ndim, 'indexSelect');
  const spread = reshape(index, x.shape.map((_, i) => (i === axis ? index.size : 1)));
  return gather(x, axis, expand(spread, x.shape.map((d, i) => (i === axis ? index.size : d))));
}

/** Rows of `weight` [numEmbeddings, dim] picked by integer `indices` of any shape. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  if (weight.ndim !== 2) throw new ShapeError(`embedding: weight must be [numEmbeddings, dim], got ${fmtShape(weight.shape)}`);
  const rows = indexSelect(weight, 0, reshape(indices, [indices.size]));
  return reshape(rows, [...indices.shape, weight.shape[1]!]);
}

/** int32 one-hot codes with a new last dim of `numClasses`. */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  if (indices.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, got ${indices.dtype}`);
  requireInt(numClasses, 'oneHot', 'numClasses', 1);
  return run('cast', [equal(unsqueeze(indices, -1), arange(numClasses))], { dtype: 'int32' });
}
