import type { DType } from '@fovea/core';
import { Uniforms, type Program } from '../program.js';
import { broadcastStrides, coalesce, sizeOfShape } from '../shape-utils.js';
import { bindings, dot, grid, load, perElementMain, storageType, store, unravel, wgslType } from '../wgsl.js';
import type { GemmEpilogue } from './gemm.js';

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

/** One thread per element of `shape`, writing one value to each of several outputs. */
export interface MultiMapSpec {
  readonly name: string;
  readonly inputs: readonly (MapOperand | StridedOperand)[];
  readonly shape: readonly number[];
  readonly outputs: readonly DType[];
  /** Statements from the inputs' values (`v0`, `v1`, …) that assign `y0[i]`, `y1[i]`, … */
  readonly body: (v: readonly string[]) => string;
  readonly helpers?: string;
  /** Values passed as uniforms `u.c0`, `u.c1`, … rather than bound as storage. */
  readonly scalars?: readonly { readonly dtype: DType; readonly value: number }[];
}

/** The one-output map program: `y0[i] = expr(v0, v1, …)`. */
export function mapProgram(spec: MapSpec): Program {
  return multiMapProgram({
    name: spec.name,
    inputs: spec.inputs,
    shape: spec.output.shape,
    outputs: [spec.output.dtype],
    body: (v) => `  y0[i] = ${store(spec.output.dtype, spec.expr(v))};`,
    helpers: spec.helpers,
  });
}

/**
 * One thread per output element, each input read through its strides: broadcasting, transposes,
 * slices and expands are all this program, and so are fused elementwise chains with several
 * outputs. Dims are coalesced first, so same-shape operands run as a flat loop and most
 * broadcasts and transposes as rank 2 or 3.
 */
export function multiMapProgram(spec: MultiMapSpec): Program {
  const uniforms = new Uniforms().i32('count', sizeOfShape(spec.shape));
  const code = elementCode(spec, uniforms);
  const wgsl = () =>
    [
      bindings(code.inputs.map((type, k) => ({ name: `x${k}`, type })), code.outputs.map((type, k) => ({ name: `y${k}`, type })), uniforms),
      spec.helpers ?? '',
      perElementMain(code.body()),
    ].join('\n');
  return { key: `map:${code.key}`, wgsl, uniforms, grid: grid(sizeOfShape(spec.shape)) };
}

/**
 * What a GEMM's store needs to run a map program's body for its output element `i` (the flat
 * index into the output): the bindings, uniforms and statements (see GemmEpilogue).
 */
export function mapEpilogue(spec: MultiMapSpec): GemmEpilogue {
  const extra = new Uniforms();
  const code = elementCode(spec, extra);
  return {
    key: code.key,
    inputs: code.inputs.map((type, k) => ({ name: `x${k}`, type })),
    outputs: code.outputs.map((type, k) => ({ name: `y${k}`, type })),
    uniforms: (u) => extra.appendTo(u),
    helpers: spec.helpers ?? '',
    body: code.body,
  };
}

/**
 * The per-element part of a map program: adds the uniforms it reads (shape, strides, offsets,
 * scalars; not `count`) to `uniforms`, and returns its cache key, storage types and the
 * statements that read each input at flat output index `i` (`v0`, `v1`, …) and run the body.
 */
function elementCode(spec: MultiMapSpec, uniforms: Uniforms) {
  const outShape = spec.shape;
  const layout = coalesce(
    outShape,
    spec.inputs.map((x) => ('strides' in x ? x.strides : broadcastStrides(x.shape, outShape))),
  );
  const rank = layout.shape.length;
  const offsets = spec.inputs.map((x) => ('offset' in x ? x.offset : null));
  // Operands read at the element index itself need no index maths.
  const flat = layout.strides.map((s, k) => rank === 1 && s[0] === 1 && offsets[k] === null);
  if (rank > 1) uniforms.ints('os', layout.shape);
  layout.strides.forEach((s, k) => {
    if (!flat[k]) uniforms.ints(`s${k}_`, s);
    if (offsets[k] !== null) uniforms.i32(`o${k}`, offsets[k]!);
  });
  const scalars = spec.scalars ?? [];
  scalars.forEach((c, k) => uniforms[wgslType(c.dtype)](`c${k}`, c.value));

  const types = spec.inputs.map((x) => wgslType(x.dtype));
  const outTypes = spec.outputs.map(wgslType);
  const operandKey = flat.map((f, k) => (f ? 'f' : offsets[k] !== null ? 'o' : 's')).join('');
  const scalarKey = scalars.length ? `:c${scalars.map((c) => wgslType(c.dtype)).join(',')}` : '';
  const body = () => {
    const reads = types.map((_, k) => {
      let index = flat[k] ? 'i' : rank === 1 ? `i * u.s${k}_0` : dot('c', `s${k}_`, rank);
      if (offsets[k] !== null) index = `u.o${k} + ${index}`;
      return `  let v${k} = ${load(spec.inputs[k]!.dtype, `x${k}[${index}]`)};`;
    });
    return [rank > 1 ? unravel('i', 'c', 'os', rank) : '', ...reads, spec.body(types.map((_, k) => `v${k}`))].filter(Boolean).join('\n');
  };
  return {
    key: `${spec.name}:${types.join(',')}>${outTypes.join(',')}:r${rank}:${operandKey}${scalarKey}`,
    inputs: spec.inputs.map((x) => storageType(x.dtype)),
    outputs: spec.outputs.map(storageType),
    body,
  };
}
