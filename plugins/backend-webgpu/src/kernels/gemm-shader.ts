import type { TileConfig } from '../tile-config.js';

/**
 * The WGSL every GEMM shader shares (scalar loaders, vec4 matmul, staged or direct): the entry
 * point, the tile origin and thread ids, the register block of vec4 accumulators, and the
 * multiply-add of one reduction step. Rows and columns go to threads four at a time: thread
 * (tx, ty) owns row quads `ty + q·TY` (q < block rows / 4) and column quads `tx + j·TX` (j <
 * block cols / 4), so a staged step reads its A and B values from workgroup memory as one vec4
 * per quad (4 loads for a thread's 8×8 block, not 16 scalars), and neighbouring threads read
 * neighbouring vec4s (no bank conflicts). The code is unrolled as generated: with loops over
 * private arrays, some compilers (SwiftShader's) keep the "registers" in memory.
 */
export class GemmShape {
  readonly tx: number;
  readonly ty: number;
  /** Rows and columns of the output tile; the reduction depth of one staged step. */
  readonly tileM: number;
  readonly tileN: number;
  readonly depth: number;
  /** The thread's register rows i (row quad i >> 2, lane i & 3) and column quads j. */
  readonly rows: number[];
  readonly groups: number[];

  /**
   * The configuration's workgroup, or for an output smaller than its tile (a convolution with 64
   * output channels under a 128-row tile, a batch-1 layer with 49 output positions), one fitted
   * to it, so threads neither compute nor load for rows and columns that do not exist. The direct
   * kernel hands the threads rows do not need to the columns (and likewise for columns). The
   * staged kernel only halves a side instead: each thread's share of a step's loads stays whole
   * that way (handing threads over would split a 64×8 A tile over 256 threads), and a smaller
   * workgroup keeps at least `MIN_STAGED_THREADS`.
   */
  constructor(
    readonly config: TileConfig,
    fit?: { readonly m: number; readonly n: number; readonly staged: boolean },
  ) {
    const [bm, bn] = config.block;
    let [tx, ty] = config.threads;
    if (fit && isPow2(tx) && isPow2(ty)) {
      const [needY, needX] = [pow2AtLeast(Math.ceil(fit.m / bm)), pow2AtLeast(Math.ceil(fit.n / bn))];
      const threads = tx * ty;
      if (fit.staged) {
        // Both sides in turn, so neither takes the whole thread budget.
        for (let shrunk = true; shrunk; ) {
          shrunk = false;
          if (ty > needY && (tx * ty) / 2 >= MIN_STAGED_THREADS) [ty, shrunk] = [ty / 2, true];
          if (tx > needX && (tx * ty) / 2 >= MIN_STAGED_THREADS) [tx, shrunk] = [tx / 2, true];
        }
      } else {
        ty = Math.min(ty, needY);
        tx = Math.min(threads / ty, needX);
        ty = Math.min(threads / tx, needY);
      }
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
    return `row0 + (ty + ${(i >> 2) * this.ty}) * 4 + ${i & 3}`;
  }

  /** The column of the thread's c-th register column (lane c & 3 of quad c >> 2). */
  col(c: number): string {
    return `col0 + (tx + ${(c >> 2) * this.tx}) * 4 + ${c & 3}`;
  }

  /** The thread's j-th column quad, in vec4s from column 0 (an i32 expression). */
  colQuad(j: number): string {
    return `col0 / 4 + tx + ${j * this.tx}`;
  }

  /**
   * Workgroup memory for two staged steps (the one being multiplied and the next): A as
   * [stage][k][row], B as [stage][k][column], in vec4s.
   */
  get shared(): string {
    return `var<workgroup> As: array<vec4<f32>, ${2 * this.stageSize('A')}>;\nvar<workgroup> Bs: array<vec4<f32>, ${2 * this.stageSize('B')}>;`;
  }

  /** Vec4s of one stage of A's (or B's) workgroup memory. */
  private stageSize(which: 'A' | 'B'): number {
    return ((which === 'A' ? this.tileM : this.tileN) * this.depth) / 4;
  }

  /** A's (or B's) vec4 at `index` (an i32 expression) of the stage being written (`wr`). */
  slot(which: 'A' | 'B', index: string): string {
    return `${which}s[wr * ${this.stageSize(which)} + ${index}]`;
  }

  /** Stores `value` (f32) as A's (or B's) element at depth `k`, row (or column) `pos` of the step. */
  stash(which: 'A' | 'B', k: string, pos: string, value: string): string {
    const quads = (which === 'A' ? this.tileM : this.tileN) / 4;
    return `${this.slot(which, `(${k}) * ${quads} + (${pos}) / 4`)}[(${pos}) % 4] = ${value};`;
  }

  /** Workgroups along x (columns) and y (rows) for an m × n output, times `z`. */
  grid(m: number, n: number, z: number): [number, number, number] {
    return [Math.ceil(n / this.tileN), Math.ceil(m / this.tileM), z];
  }

  /** Output tiles of `batch` m × n outputs: the workgroups of an unsplit GEMM. */
  tiles(m: number, n: number, batch: number): number {
    const [x, y] = this.grid(m, n, batch);
    return x * y * batch;
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

  /**
   * One reduction step: acc{i}_{j} += a(i) · b(j), with `a(q)` the vec4 of row quad q and
   * `b(j)` that of column quad j.
   */
  fmaStep(a: (q: number) => string, b: (j: number) => string, indent = '      '): string {
    const quads = range(this.rows.length / 4);
    const lines = [...quads.map((q) => `${indent}let aq${q} = ${a(q)};`), ...this.groups.map((j) => `${indent}let bv${j} = ${b(j)};`)];
    for (const i of this.rows) {
      lines.push(`${indent}let av${i} = vec4<f32>(aq${i >> 2}[${i & 3}]);`);
      for (const j of this.groups) lines.push(`${indent}acc${i}_${j} = fma(av${i}, bv${j}, acc${i}_${j});`);
    }
    return lines.join('\n');
  }

  /**
   * The staged loop over [kBegin, kEnd), double-buffered: while every thread multiplies the
   * step in stage `rd` of workgroup memory, its loads fetch the next step into registers (the
   * reads from storage overlap the arithmetic); then they stash it into the other stage (`wr`),
   * and one barrier per step suffices: no thread writes a stage before all have passed the
   * barrier that ended the last reads of it.
   */
  stagedLoop(loads: readonly StagedLoad[]): string {
    const a = (q: number) => `As[rd * ${this.stageSize('A')} + kk * ${this.tileM / 4} + ty + ${q * this.ty}]`;
    const b = (j: number) => `Bs[rd * ${this.stageSize('B')} + kk * ${this.tileN / 4} + tx + ${j * this.tx}]`;
    const each = (f: (l: StagedLoad) => string, indent: string) => loads.map((l) => f(l) && indent + f(l)).filter(Boolean).join('\n');
    return `${each((l) => l.setup, '')}
${each((l) => `var ${l.reg}: ${l.type};`, '  ')}
  var rd = 0;
  var wr = 0;
${each((l) => l.fetch('kBegin'), '  ')}
${each((l) => l.stash, '  ')}
  workgroupBarrier();
  for (var k0 = kBegin; k0 < kEnd; k0 += ${this.depth}) {
${each((l) => l.fetch(`k0 + ${this.depth}`), '    ')}
    for (var kk = 0; kk < ${this.depth}; kk++) {
${this.fmaStep(a, b)}
    }
    wr = 1 - rd;
${each((l) => l.stash, '    ')}
    rd = wr;
    workgroupBarrier();
  }`;
  }
}

/**
 * One thread's share of staging an operand each step: `setup` (statements run once, before the
 * loop; empty where an earlier load's serves this one too) makes what does not change from step
 * to step; `fetch(k)` reads the step starting at
 * reduction index `k` into the register `reg` (zero where out of range); `stash` writes the
 * register to workgroup memory.
 */
export interface StagedLoad {
  readonly setup: string;
  readonly reg: string;
  readonly type: 'f32' | 'vec4<f32>';
  readonly fetch: (k: string) => string;
  readonly stash: string;
}

/** Two warps (NVIDIA) or one wavefront (AMD): a staged workgroup is never fitted below this. */
const MIN_STAGED_THREADS = 64;

export const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const pow2AtLeast = (n: number) => 2 ** Math.ceil(Math.log2(Math.max(n, 1)));
const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
