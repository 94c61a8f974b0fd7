import { Uniforms, type Program } from '../program.js';
import { bindings } from '../wgsl.js';

const TILE = 64;
const DEPTH = 16;
const THREADS = 16;
/** Each thread's four rows, unrolled as generated (private arrays may live in memory). */
const ROWS = [0, 1, 2, 3];

export interface Vec4MatmulShape {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * Whether the vec4 kernel applies: each operand's contiguous dim and the output's columns are
 * multiples of 4, so every 16-byte load and store is aligned and a vector is wholly in or out.
 */
export function vec4Applies(s: Vec4MatmulShape): boolean {
  return (s.transposeA ? s.m : s.k) % 4 === 0 && (s.transposeB ? s.k : s.n) % 4 === 0 && s.n % 4 === 0;
}

/**
 * The GEMM with 16-byte global loads and stores: per DEPTH step each of the 256 threads loads
 * one vec4 of A and one of B (whatever the transposes, transposing into workgroup memory as
 * needed), then accumulates a 4-row × vec4-column block with vector fma.
 */
export function vec4MatmulProgram(s: Vec4MatmulShape): Program {
  const uniforms = new Uniforms().i32('M', s.m).i32('N', s.n).i32('K', s.k);
  const wgsl = () =>
    [
      bindings([{ name: 'a', type: 'vec4<f32>' }, { name: 'bm', type: 'vec4<f32>' }], [{ name: 'y', type: 'vec4<f32>' }], uniforms),
      `var<workgroup> As: array<f32, ${TILE * DEPTH}>;
var<workgroup> Bs: array<vec4<f32>, ${(TILE / 4) * DEPTH}>;

@compute @workgroup_size(${THREADS}, ${THREADS})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let b = i32(wid.z);
  let row0 = i32(wid.y) * ${TILE};
  let col0 = i32(wid.x) * ${TILE};
  let tx = i32(lid.x);
  let ty = i32(lid.y);
  let t = ty * ${THREADS} + tx;
${ROWS.map((i) => `  var acc${i} = vec4<f32>();`).join('\n')}
  for (var k0 = 0; k0 < u.K; k0 += ${DEPTH}) {
${s.transposeA ? LOAD_A_T : LOAD_A_N}
${s.transposeB ? LOAD_B_T : LOAD_B_N}
    workgroupBarrier();
    for (var kk = 0; kk < ${DEPTH}; kk++) {
      let bv = Bs[kk * ${TILE / 4} + tx];
${ROWS.map((i) => `      acc${i} = fma(vec4<f32>(As[kk * ${TILE} + ty + ${i * THREADS}]), bv, acc${i});`).join('\n')}
    }
    workgroupBarrier();
  }
  let cq = col0 / 4 + tx;
${ROWS.map((i) => `  if (row0 + ty + ${i * THREADS} < u.M && cq < u.N / 4) { y[(b * u.M + row0 + ty + ${i * THREADS}) * (u.N / 4) + cq] = acc${i}; }`).join('\n')}
}`,
    ].join('\n');
  return {
    key: `matmul4:${s.transposeA ? 'T' : 'N'}${s.transposeB ? 'T' : 'N'}`,
    wgsl,
    uniforms,
    grid: [Math.ceil(s.n / TILE), Math.ceil(s.m / TILE), s.batch],
  };
}

// Each loader: thread t takes one vec4 of the 64×16 slice (64 rows or cols × 4 vectors along
// k, or 16 k × 16 vectors along rows/cols), zero outside the matrix.

/** A is [M, K]: the vector runs along k; scatter it down a column of As ([k][row]). */
const LOAD_A_N = `    {
      let row = t / 4;
      let kq = t % 4;
      var v = vec4<f32>();
      if (row0 + row < u.M && k0 + kq * 4 < u.K) { v = a[(b * u.M + row0 + row) * (u.K / 4) + (k0 / 4 + kq)]; }
      ${ROWS.map((j) => `As[(kq * 4 + ${j}) * ${TILE} + row] = v[${j}];`).join(' ')}
    }`;

/** A is [K, M]: the vector runs along rows, already the As layout. */
const LOAD_A_T = `    {
      let kk = t / 16;
      let mq = t % 16;
      var v = vec4<f32>();
      if (k0 + kk < u.K && row0 + mq * 4 < u.M) { v = a[(b * u.K + k0 + kk) * (u.M / 4) + (row0 / 4 + mq)]; }
      ${ROWS.map((j) => `As[kk * ${TILE} + mq * 4 + ${j}] = v[${j}];`).join(' ')}
    }`;

/** B is [K, N]: the vector runs along columns, the Bs layout ([k][col/4]). */
const LOAD_B_N = `    {
      let kk = t / 16;
      let nq = t % 16;
      var v = vec4<f32>();
      if (k0 + kk < u.K && col0 + nq * 4 < u.N) { v = bm[(b * u.K + k0 + kk) * (u.N / 4) + (col0 / 4 + nq)]; }
      Bs[kk * ${TILE / 4} + nq] = v;
    }`;

/** B is [N, K]: the vector runs along k; scatter it into one lane of four Bs vectors. */
const LOAD_B_T = `    {
      let col = t / 4;
      let kq = t % 4;
      var v = vec4<f32>();
      if (col0 + col < u.N && k0 + kq * 4 < u.K) { v = bm[(b * u.N + col0 + col) * (u.K / 4) + (k0 / 4 + kq)]; }
      ${ROWS.map((j) => `Bs[(kq * 4 + ${j}) * ${TILE / 4} + col / 4][col % 4] = v[${j}];`).join(' ')}
    }`;
