import type { DType } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { broadcastStrides, coalesce, sizeOfShape } from '../shape-utils.js';
import { bindings, dot, grid, perElementMain, unravel, wgslType } from '../wgsl.js';

export interface MapOperand {
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** An operand read through explicit strides (aligned to the output) from a base offset. */
export interface StridedOperand {
  readonly dtype: DType;
  readonly strides: readonly number[];
  readonly offset: number;
}

export interface MapSpec {
  /** Names the expression, for the cache key: same name and dtypes ⇒ same WGSL. */
  readonly name: string;
  /** Contiguous operands broadcast to the output, or strided views. */
  readonly inputs: readonly (MapOperand | StridedOperand)[];
  readonly output: MapOperand;
  /** The output value from the inputs' values (WGSL expressions `v0`, `v1`, …). */
  readonly expr: (v: readonly string[]) => string;
  /** Helper functions the expression calls. */
  readonly helpers?: string;
}

/**
 * One thread per output element, each input read through its strides: broadcasting, transposes,
 * slices and expands are all this program. Dims are coalesced first, so same-shape operands run
 * as a flat loop and most broadcasts and transposes as rank 2 or 3.
 */
export function mapProgram(spec: MapSpec): Program {
  const outShape = spec.output.shape;
  const layout = coalesce(
    outShape,
    spec.inputs.map((x) => ('strides' in x ? x.strides : broadcastStrides(x.shape, outShape))),
  );
  const rank = layout.shape.length;
  const offsets = spec.inputs.map((x) => ('offset' in x ? x.offset : null));
  // Operands read at the element index itself need no index maths.
  const flat = layout.strides.map((s, k) => rank === 1 && s[0] === 1 && offsets[k] === null);
  const uniforms = new Uniforms().i32('count', sizeOfShape(outShape));
  if (rank > 1) uniforms.ints('os', layout.shape);
  layout.strides.forEach((s, k) => {
    if (!flat[k]) uniforms.ints(`s${k}_`, s);
    if (offsets[k] !== null) uniforms.i32(`o${k}`, offsets[k]!);
  });

  const types = spec.inputs.map((x) => wgslType(x.dtype));
  const outType = wgslType(spec.output.dtype);
  const operandKey = flat.map((f, k) => (f ? 'f' : offsets[k] !== null ? 'o' : 's')).join('');
  const key = `map:${spec.name}:${types.join(',')}>${outType}:r${rank}:${operandKey}`;
  const wgsl = () => {
    const reads = types.map((_, k) => {
      let index = flat[k] ? 'i' : rank === 1 ? `i * u.s${k}_0` : dot('c', `s${k}_`, rank);
      if (offsets[k] !== null) index = `u.o${k} + ${index}`;
      return `  let v${k} = x${k}[${index}];`;
    });
    const body = [rank > 1 ? unravel('i', 'c', 'os', rank) : '', ...reads, `  y[i] = ${spec.expr(types.map((_, k) => `v${k}`))};`];
    return [
      bindings(types.map((type, k) => ({ name: `x${k}`, type })), [{ name: 'y', type: outType }], uniforms),
      spec.helpers ?? '',
      perElementMain(body.filter(Boolean).join('\n')),
    ].join('\n');
  };
  return { key, wgsl, uniforms, grid: grid(sizeOfShape(outShape)) };
}
