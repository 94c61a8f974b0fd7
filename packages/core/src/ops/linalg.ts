import { DTypeError, ShapeError } from '../errors.js';
import { broadcastShapes, fmtShape, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { add } from './elementwise.js';
import { expand, reshape } from './movement.js';
import { asFloat, defineOps, requireDType, run } from './util.js';

interface BmmAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

const bmm = (a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean) => run('batchMatmul', [a, b], { transposeA, transposeB });

defineOps({
  name: 'batchMatmul',
  infer: ([a, b], { transposeA, transposeB }: BmmAttrs) => {
    requireDType(a!, ['float32'], 'matmul', 'a');
    requireDType(b!, ['float32'], 'matmul', 'b');
    if (a!.shape.length !== 3 || b!.shape.length !== 3 || a!.shape[0] !== b!.shape[0]) {
      throw new ShapeError(`batchMatmul: needs [B, M, K] and [B, K, N], got ${fmtShape(a!.shape)} and ${fmtShape(b!.shape)}`);
    }
    const [, m, k] = transposeA ? [0, a!.shape[2]!, a!.shape[1]!] : a!.shape;
    const [, k2, n] = transposeB ? [0, b!.shape[2]!, b!.shape[1]!] : b!.shape;
    if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ (${fmtShape(a!.shape)} @ ${fmtShape(b!.shape)}: ${k} vs ${k2})`);
    return [{ shape: [a!.shape[0]!, m!, n!], dtype: 'float32' }];
  },
  // With op(X) the optionally transposed operand, C = op(A)·op(B); each case keeps the
  // gradients in the operands' stored layouts so no transpose is materialised.
  grad: ([dc], { inputs: [a, b], attrs: { transposeA: ta, transposeB: tb } }) => {
    const da = ta ? bmm(b!, dc!, tb, true) : bmm(dc!, b!, false, !tb);
    const db = tb ? bmm(dc!, a!, true, ta) : bmm(a!, dc!, !ta, false);
    return [da, db];
  },
});

/** Matrix product with NumPy semantics: 1-D operands, batched and broadcast leading dims. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) throw new ShapeError(`matmul: operands need at least one dim, got ${fmtShape(a.shape)} and ${fmtShape(b.shape)}`);
  if (a.dtype === 'bool' || b.dtype === 'bool') throw new DTypeError(`matmul: bool operands are not supported (${a.dtype} @ ${b.dtype})`);
  const a2 = a.ndim === 1 ? reshape(asFloat(a), [1, a.size]) : asFloat(a);
  const b2 = b.ndim === 1 ? reshape(asFloat(b), [b.size, 1]) : asFloat(b);
  const [m, k] = a2.shape.slice(-2) as [number, number];
  const [k2, n] = b2.shape.slice(-2) as [number, number];
  if (k !== k2) throw new ShapeError(`matmul: inner dimensions differ (${fmtShape(a.shape)} @ ${fmtShape(b.shape)}: ${k} vs ${k2})`);
  const batch = broadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2), 'matmul');
  const nb = sizeOf(batch);
  let out: Tensor;
  if (b2.ndim === 2) {
    // Fold a's batch into its rows: one GEMM, no copy of b.
    out = bmm(reshape(a2, [1, nb * m, k]), reshape(b2, [1, k, n]), false, false);
  } else {
    const ea = reshape(expand(a2, [...batch, m, k]), [nb, m, k]);
    const eb = reshape(expand(b2, [...batch, k, n]), [nb, k, n]);
    out = bmm(ea, eb, false, false);
  }
  const shape = [...batch, m, n].filter((_, i, all) => !(a.ndim === 1 && i === all.length - 2) && !(b.ndim === 1 && i === all.length - 1));
  return reshape(out, shape);
}

/** y = x·Wᵀ + b with PyTorch's weight layout [out, in]. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be [out, in], got ${fmtShape(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.shape[x.ndim - 1] !== inF) throw new ShapeError(`linear: input features ${x.shape[x.ndim - 1]} do not match weight ${fmtShape(weight.shape)} (expected ${inF})`);
  const rows = x.size / inF;
  const y = bmm(reshape(asFloat(x), [1, rows, inF]), reshape(weight, [1, outF, inF]), false, true);
  const shaped = reshape(y, [...x.shape.slice(0, -1), outF]);
  return bias ? add(shaped, bias) : shaped;
}
