import type { TileConfig } from '../tile-config.js';

/**
 * The WGSL every GEMM shader shares (scalar loaders, vec4 matmul, staged or direct): the entry
 * point, the tile origin and thread ids, the register block of vec4 accumulators, and the
 * multiply-add of one reduction step. Thread (tx, ty) owns rows `row0 + ty + i·TY` (i < block
 * rows) and column groups j < block cols / 4, whose columns each shader maps itself. The code is
 * unrolled as generated: with loops over private arrays, some compilers (SwiftShader's) keep
 * the "registers" in memory.
 */
export class GemmShape {
  readonly tx: number;
  readonly ty: number;
  /** Rows and columns of the output tile; the reduction depth of one staged step. */
  readonly tileM: number;
  readonly tileN: number;
  readonly depth: number;
  readonly rows: number[];
  readonly groups: number[];

  /**
   * The configuration's workgroup, or for an output of `fit` = [m, n] smaller than its tile
   * (a convolution with 8 output channels), one fitted to it: the rows' threads shrink to what
   * m needs and hand their share to the columns (and likewise for n), so threads neither
   * compute nor load for rows and columns that do not exist. Only the direct kernel is fitted:
   * the staged one unrolls each thread's share of a step, which grows as threads shrink.
   */
  constructor(
    readonly config: TileConfig,
    fit?: readonly [number, number],
  ) {
    const [bm, bn] = config.block;
    let [tx, ty] = config.threads;
    if (fit && isPow2(tx) && isPow2(ty)) {
      const [needY, needX] = [pow2AtLeast(Math.ceil(fit[0] / bm)), pow2AtLeast(Math.ceil(fit[1] / bn))];
      const threads = tx * ty;
      ty = Math.min(ty, needY);
      tx = Math.min(threads / ty, needX);
      ty = Math.min(threads / tx, needY);
    }
    [this.tx, this.ty] = [tx, ty];
    this.tileM = ty * bm;
    this.tileN = tx * bn;
    this.depth = config.depth;
    this.rows = range(bm);
    this.groups = range(bn / 4);
  }

  /** Names the configuration in pipeline keys: different tiles are different shaders. */
  get tag(): string {
    const c = this.config;
    return `t${this.tx}x${this.ty}b${c.block.join('x')}d${c.depth}`;
  }

  /** The row of the thread's i-th register row (an i32 expression). */
  row(i: number): string {
    return `row0 + ty + ${i * this.ty}`;
  }

  /** Workgroups along x (columns) and y (rows) for an m × n output, times `z`. */
  grid(m: number, n: number, z: number): [number, number, number] {
    return [Math.ceil(n / this.tileN), Math.ceil(m / this.tileM), z];
  }

  /**
   * `shared` declares workgroup memory; `body` runs after the prologue (tile origin, thread ids
   * `tx`, `ty`, flat `t`, zeroed accumulators `acc{i}_{j}`).
   */
  main(shared: string, body: string): string {
    return `${shared}
@compute @workgroup_size(${this.tx}, ${this.ty})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let row0 = i32(wid.y) * ${this.tileM};
  let col0 = i32(wid.x) * ${this.tileN};
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = ty * ${this.tx} + tx;
${this.rows.flatMap((i) => this.groups.map((j) => `  var acc${i}_${j} = vec4<f32>();`)).join('\n')}
${body}
}`;
  }

  /** One reduction step: acc{i}_{j} += a(i) · b(j), with `a` a scalar and `b` a vec4 expression. */
  fmaStep(a: (i: number) => string, b: (j: number) => string, indent = '      '): string {
    const lines = this.groups.map((j) => `${indent}let bv${j} = ${b(j)};`);
    for (const i of this.rows) {
      lines.push(`${indent}let av${i} = vec4<f32>(${a(i)});`);
      for (const j of this.groups) lines.push(`${indent}acc${i}_${j} = fma(av${i}, bv${j}, acc${i}_${j});`);
    }
    return lines.join('\n');
  }

  /**
   * The staged loop over [kBegin, kEnd): `stage` fills workgroup memory for step k0, then every
   * thread accumulates the step from it (`a`/`b` read it at depth `kk`).
   */
  stagedLoop(stage: string, a: (i: number) => string, b: (j: number) => string): string {
    return `  for (var k0 = kBegin; k0 < kEnd; k0 += ${this.depth}) {
${stage}
    workgroupBarrier();
    for (var kk = 0; kk < ${this.depth}; kk++) {
${this.fmaStep(a, b)}
    }
    workgroupBarrier();
  }`;
  }
}

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const pow2AtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
