import type { TensorSpec } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import { Uniforms, type Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import type { WebGPUBackend } from '../webgpu-backend.js';
import { bindings, grid, perElementMain, type Binding } from '../wgsl.js';

/** Output tile per workgroup (rows = cols) and the depth of one shared-memory step. */
const TILE = 64;
const DEPTH = 16;
/** Each of the 16×16 threads accumulates a 4×4 block of the tile in registers. */
const THREADS = 16;
const PER_THREAD = TILE / THREADS;
const LOADS_PER_THREAD = (TILE * DEPTH) / (THREADS * THREADS);
/** Fewer output tiles than this leave the GPU idle: split the reduction to make more work. */
const TARGET_WORKGROUPS = 128;
/** Never split the reduction into pieces shorter than this. */
const MIN_CHUNK = 256;
/**
 * Up to this reduction length, staging through workgroup memory buys little reuse and costs two
 * barriers: threads read A and B directly (and SwiftShader, which runs barriers as fibers, is
 * many times faster for it).
 */
const DIRECT_MAX_K = 32;

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
   * WGSL defining `fn loadA(b: i32, row: i32, k: i32) -> f32` and `fn loadB(b: i32, k: i32,
   * col: i32) -> f32`, called only in range. This is what makes matmul and the three
   * convolutions one kernel: a convolution is a GEMM whose loaders gather image patches
   * (implicit GEMM, no im2col buffer).
   */
  readonly loaders: string;
  /** WGSL defining `fn store(b: i32, row: i32, col: i32, v: f32)` (uses only `u` and the output). */
  readonly store: string;
  /** Whether consecutive k are adjacent in memory for A (resp. B): picks the load order. */
  readonly aContiguousK: boolean;
  readonly bContiguousK: boolean;
}

/** How many pieces to cut the reduction into: enough workgroups to fill the device. */
function splitsFor(spec: GemmSpec): number {
  const tiles = Math.ceil(spec.m / TILE) * Math.ceil(spec.n / TILE) * spec.batch;
  if (tiles >= TARGET_WORKGROUPS) return 1;
  return Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.floor(spec.k / MIN_CHUNK)));
}

/**
 * Records the GEMM. With few output tiles and a long reduction (a filter gradient sums over
 * every image position), the reduction is split across workgroups (split-K): each writes a
 * partial product, and a second pass sums the partials and stores them.
 */
export function runGemm(backend: WebGPUBackend, spec: GemmSpec, inputs: readonly GPUData[], output: TensorSpec): GPUData[] {
  const y = backend.alloc(sizeOfShape(output.shape));
  if (y.size === 0) return [y];
  const splits = splitsFor(spec);
  // Chunks are whole shared-memory steps, so only the last one runs short.
  const chunk = Math.ceil(Math.ceil(spec.k / splits) / DEPTH) * DEPTH;
  const uniforms = new Uniforms().i32('M', spec.m).i32('N', spec.n).i32('K', spec.k);
  uniforms.i32('batch', spec.batch).i32('splits', splits).i32('kChunk', chunk).i32('count', spec.batch * spec.m * spec.n);
  spec.uniforms?.(uniforms);
  if (spec.k <= DIRECT_MAX_K) {
    backend.run(directProgram(spec, uniforms), inputs, [y]);
    return [y];
  }
  if (splits === 1) {
    backend.run(tileProgram(spec, uniforms, 1, spec.output), inputs, [y]);
    return [y];
  }
  const partial = backend.alloc(splits * spec.batch * spec.m * spec.n);
  backend.run(tileProgram(spec, uniforms, splits, { name: 'partial', type: 'f32' }), inputs, [partial]);
  backend.run(finishProgram(spec, uniforms), [partial], [y]);
  // Safe at once: any later use of this buffer is queued after the finish pass.
  backend.disposeData(partial);
  return [y];
}

/**
 * Tiled, register-blocked GEMM: a workgroup stages TILE×DEPTH slices of A and B in workgroup
 * memory; each thread keeps a PER_THREAD² block of sums in registers and reads its rows/cols
 * with a THREADS stride, so neighbouring threads read neighbouring shared-memory words.
 * Workgroup z is (batch entry, reduction piece). The code is unrolled as it is generated: with
 * loops over private arrays, some compilers (SwiftShader's) keep the "registers" in memory.
 */
function tileProgram(spec: GemmSpec, uniforms: Uniforms, splits: number, output: Binding): Program {
  const split = splits > 1;
  const wgsl = () =>
    [
      bindings(spec.inputs, [output], uniforms),
      spec.loaders,
      split ? '' : spec.store,
      `const TILE = ${TILE};
const DEPTH = ${DEPTH};
const THREADS = ${THREADS};
var<workgroup> As: array<f32, ${TILE * DEPTH}>;
var<workgroup> Bs: array<f32, ${TILE * DEPTH}>;

@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let b = i32(wid.z) / u.splits;
  let piece = i32(wid.z) % u.splits;
  let kBegin = piece * u.kChunk;
  let kEnd = min(u.K, kBegin + u.kChunk);
  let row0 = i32(wid.y) * TILE;
  let col0 = i32(wid.x) * TILE;
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = ty * THREADS + tx;
${range(PER_THREAD).map((i) => `  var acc${i} = vec4<f32>();`).join('\n')}
  for (var k0 = kBegin; k0 < kEnd; k0 += DEPTH) {
${range(LOADS_PER_THREAD).map((l) => tileLoad('A', 'row0', 'u.M', 'm', spec.aContiguousK, l)).join('\n')}
${range(LOADS_PER_THREAD).map((l) => tileLoad('B', 'col0', 'u.N', 'n', spec.bContiguousK, l)).join('\n')}
    workgroupBarrier();
    for (var kk = 0; kk < DEPTH; kk++) {
      let bv = vec4<f32>(${range(PER_THREAD).map((j) => `Bs[kk * TILE + tx + ${j * THREADS}]`).join(', ')});
${range(PER_THREAD).map((i) => `      acc${i} = fma(vec4<f32>(As[kk * TILE + ty + ${i * THREADS}]), bv, acc${i});`).join('\n')}
    }
    workgroupBarrier();
  }
${range(PER_THREAD)
  .flatMap((i) =>
    range(PER_THREAD).map(
      (j) => `  if (row0 + ty + ${i * THREADS} < u.M && col0 + tx + ${j * THREADS} < u.N) { ${
        split
          ? `partial[((piece * u.batch + b) * u.M + row0 + ty + ${i * THREADS}) * u.N + col0 + tx + ${j * THREADS}] = acc${i}[${j}];`
          : `store(b, row0 + ty + ${i * THREADS}, col0 + tx + ${j * THREADS}, acc${i}[${j}]);`
      } }`,
    ),
  )
  .join('\n')}
}`,
    ].join('\n');
  return {
    key: `gemm:${spec.key}:${split ? 'partial' : 'direct'}`,
    wgsl,
    uniforms,
    grid: [Math.ceil(spec.n / TILE), Math.ceil(spec.m / TILE), spec.batch * splits],
  };
}

/** The same 4×4 register blocks per thread, read straight from the inputs (short reductions). */
function directProgram(spec: GemmSpec, uniforms: Uniforms): Program {
  const rows = range(PER_THREAD).map((i) => `row0 + ty + ${i * THREADS}`);
  const cols = range(PER_THREAD).map((j) => `col0 + tx + ${j * THREADS}`);
  const wgsl = () =>
    [
      bindings(spec.inputs, [spec.output], uniforms),
      spec.loaders,
      spec.store,
      `@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let b = i32(wid.z);
  let row0 = i32(wid.y) * ${TILE};
  let col0 = i32(wid.x) * ${TILE};
  let tx = i32(lid.x);
  let ty = i32(lid.y);
${range(PER_THREAD).map((i) => `  var acc${i} = vec4<f32>();`).join('\n')}
  for (var k = 0; k < u.K; k++) {
${cols.map((c, j) => `    var b${j} = 0.0;\n    if (${c} < u.N) { b${j} = loadB(b, k, ${c}); }`).join('\n')}
    let bv = vec4<f32>(b0, b1, b2, b3);
${rows.map((r, i) => `    if (${r} < u.M) { acc${i} = fma(vec4<f32>(loadA(b, ${r}, k)), bv, acc${i}); }`).join('\n')}
  }
${rows.flatMap((r, i) => cols.map((c, j) => `  if (${r} < u.M && ${c} < u.N) { store(b, ${r}, ${c}, acc${i}[${j}]); }`)).join('\n')}
}`,
    ].join('\n');
  return { key: `gemm:${spec.key}:direct-k`, wgsl, uniforms, grid: [Math.ceil(spec.n / TILE), Math.ceil(spec.m / TILE), spec.batch] };
}

/** Sums the split-K partials of each output element, in piece order, and stores the result. */
function finishProgram(spec: GemmSpec, uniforms: Uniforms): Program {
  const wgsl = () =>
    [
      bindings([{ name: 'partial', type: 'f32' }], [spec.output], uniforms),
      spec.store,
      perElementMain(`  var v = 0.0;
  for (var piece = 0; piece < u.splits; piece++) { v += partial[piece * u.count + i]; }
  let col = i % u.N;
  let row = (i / u.N) % u.M;
  store(i / (u.N * u.M), row, col, v);`),
    ].join('\n');
  return { key: `gemm:${spec.key}:finish`, wgsl, uniforms, grid: grid(spec.batch * spec.m * spec.n) };
}

/**
 * The `l`-th element a thread loads of a TILE×DEPTH slice of A (rows) or B (cols) into shared
 * memory, laid out [k][row]. Threads walk k fastest when k is contiguous in memory, so their
 * reads coalesce.
 */
function tileLoad(which: 'A' | 'B', origin: string, limit: string, axis: string, contiguousK: boolean, l: number): string {
  const e = `(t + ${l * THREADS * THREADS})`;
  const [kk, pos] = contiguousK ? [`${e} % DEPTH`, `${e} / DEPTH`] : [`${e} / TILE`, `${e} % TILE`];
  const call = which === 'A' ? `loadA(b, g${axis}, gk)` : `loadB(b, gk, g${axis})`;
  return `    {
      let kk = ${kk};
      let g${axis} = ${origin} + ${pos};
      let gk = k0 + kk;
      var v = 0.0;
      if (g${axis} < ${limit} && gk < kEnd) { v = ${call}; }
      ${which}s[kk * TILE + ${pos}] = v;
    }`;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
