import { Uniforms, type Program } from '../program.js';
import { bindings, type Binding } from '../wgsl.js';

/** Output tile per workgroup (rows = cols) and the depth of one shared-memory step. */
const TILE = 64;
const DEPTH = 16;
/** Each of the 16×16 threads accumulates a 4×4 block of the tile in registers. */
const THREADS = 16;
const PER_THREAD = TILE / THREADS;

export interface GemmSpec {
  /** Names the loaders below, for the cache key. */
  readonly key: string;
  readonly inputs: readonly Binding[];
  readonly output: Binding;
  /** Output rows, columns and the reduced length, per batch entry. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number;
  /** Adds the loaders' own uniforms (after M, N, K). */
  readonly uniforms?: (u: Uniforms) => void;
  /**
   * WGSL defining `fn loadA(b: i32, row: i32, k: i32) -> f32`, `fn loadB(b: i32, k: i32,
   * col: i32) -> f32` and `fn store(b: i32, row: i32, col: i32, v: f32)`. Loaders are called
   * only in range. This is what makes matmul and the three convolutions one kernel: a
   * convolution is a GEMM whose loaders gather image patches (implicit GEMM, no im2col buffer).
   */
  readonly loaders: string;
  /** Whether consecutive k are adjacent in memory for A (resp. B): picks the load order. */
  readonly aContiguousK: boolean;
  readonly bContiguousK: boolean;
}

/**
 * Tiled, register-blocked GEMM: a workgroup stages TILE×DEPTH slices of A and B in workgroup
 * memory; each thread keeps a PER_THREAD² block of sums in registers and reads its rows/cols
 * with a THREADS stride, so neighbouring threads read neighbouring shared-memory words.
 */
export function gemmProgram(spec: GemmSpec): Program {
  const uniforms = new Uniforms().i32('M', spec.m).i32('N', spec.n).i32('K', spec.k);
  spec.uniforms?.(uniforms);
  const wgsl = () =>
    [
      bindings(spec.inputs, [spec.output], uniforms),
      spec.loaders,
      `const TILE = ${TILE};
const DEPTH = ${DEPTH};
const THREADS = ${THREADS};
const PER = ${PER_THREAD};
var<workgroup> As: array<f32, ${TILE * DEPTH}>;
var<workgroup> Bs: array<f32, ${TILE * DEPTH}>;

@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let b = i32(wid.z);
  let row0 = i32(wid.y) * TILE;
  let col0 = i32(wid.x) * TILE;
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = ty * THREADS + tx;
  var acc: array<array<f32, PER>, PER>;
  for (var k0 = 0; k0 < u.K; k0 += DEPTH) {
    for (var l = 0; l < ${(TILE * DEPTH) / (THREADS * THREADS)}; l++) {
      let e = t + l * ${THREADS * THREADS};
${tileLoad('A', 'row0', 'u.M', 'm', spec.aContiguousK)}
${tileLoad('B', 'col0', 'u.N', 'n', spec.bContiguousK)}
    }
    workgroupBarrier();
    for (var kk = 0; kk < DEPTH; kk++) {
      var a: array<f32, PER>;
      var bv: array<f32, PER>;
      for (var i = 0; i < PER; i++) {
        a[i] = As[kk * TILE + ty + i * THREADS];
        bv[i] = Bs[kk * TILE + tx + i * THREADS];
      }
      for (var i = 0; i < PER; i++) {
        for (var j = 0; j < PER; j++) { acc[i][j] = fma(a[i], bv[j], acc[i][j]); }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0; i < PER; i++) {
    for (var j = 0; j < PER; j++) {
      let r = row0 + ty + i * THREADS;
      let c = col0 + tx + j * THREADS;
      if (r < u.M && c < u.N) { store(b, r, c, acc[i][j]); }
    }
  }
}`,
    ].join('\n');
  return {
    key: `gemm:${spec.key}`,
    wgsl,
    uniforms,
    grid: [Math.ceil(spec.n / TILE), Math.ceil(spec.m / TILE), spec.batch],
  };
}

/**
 * Element `e` of a TILE×DEPTH slice of A (rows) or B (cols) into shared memory, laid out
 * [k][row]. Threads walk k fastest when k is contiguous in memory, so their reads coalesce.
 */
function tileLoad(which: 'A' | 'B', origin: string, limit: string, axis: string, contiguousK: boolean): string {
  const [kk, pos] = contiguousK ? ['e % DEPTH', 'e / DEPTH'] : ['e / TILE', 'e % TILE'];
  const call = which === 'A' ? `loadA(b, g${axis}, gk)` : `loadB(b, gk, g${axis})`;
  return `      {
        let kk = ${kk};
        let ${axis} = ${pos};
        let g${axis} = ${origin} + ${axis};
        let gk = k0 + kk;
        var v = 0.0;
        if (g${axis} < ${limit} && gk < u.K) { v = ${call}; }
        ${which}s[kk * TILE + ${axis}] = v;
      }`;
}
