import { Uniforms, type Program } from '../program.js';
import type { TileConfig } from '../tile-config.js';
import { bindings } from '../wgsl.js';
import type { GemmEpilogue } from './gemm.js';
import { GemmShape, range } from './gemm-shader.js';

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
 * The GEMM with 16-byte global loads and stores: per staged step each thread loads its share of
 * vec4s of A and B (whatever the transposes, transposing into workgroup memory as needed), then
 * accumulates its register block with vector fma. Column group j of a thread is the vec4 at
 * `col0 / 4 + tx + j·TX`. With an epilogue, each lane goes through its `store` instead.
 */
export function vec4MatmulProgram(s: Vec4MatmulShape, config: TileConfig, fused?: { epilogue: GemmEpilogue; store: string }): Program {
  const g = new GemmShape(config);
  const uniforms = new Uniforms().i32('M', s.m).i32('N', s.n).i32('K', s.k);
  fused?.epilogue.uniforms(uniforms);
  const loads = [...vec4Loads(g, s.transposeA ? loadAT : loadAN), ...vec4Loads(g, s.transposeB ? loadBT : loadBN)];
  const cq = (j: number) => `col0 / 4 + tx + ${j * g.tx}`;
  const write = (i: number, j: number) =>
    fused
      ? range(4).map((l) => `store(b, ${g.row(i)}, (${cq(j)}) * 4 + ${l}, acc${i}_${j}[${l}]);`).join(' ')
      : `y[(b * u.M + ${g.row(i)}) * (u.N / 4) + ${cq(j)}] = vec4<F>(acc${i}_${j});`;
  const stores = g.rows.flatMap((i) => g.groups.map((j) => `  if (${g.row(i)} < u.M && ${cq(j)} < u.N / 4) { ${write(i, j)} }`));
  const body = [
    '  let b = i32(wid.z);\n  let kBegin = 0;\n  let kEnd = u.K;',
    g.stagedLoop(loads.join('\n'), (i) => `As[kk * ${g.tileM} + ty + ${i * g.ty}]`, (j) => `Bs[kk * ${g.tileN / 4} + tx + ${j * g.tx}]`),
    ...stores,
  ].join('\n');
  const shared = `var<workgroup> As: array<f32, ${g.tileM * g.depth}>;\nvar<workgroup> Bs: array<vec4<f32>, ${(g.tileN / 4) * g.depth}>;`;
  const operands = [{ name: 'a', type: 'vec4<F>' }, { name: 'bm', type: 'vec4<F>' }];
  const io = fused ? bindings([...operands, ...fused.epilogue.inputs], fused.epilogue.outputs, uniforms) : bindings(operands, [{ name: 'y', type: 'vec4<F>' }], uniforms);
  const wgsl = () => [io, fused?.store ?? '', g.main(shared, body)].join('\n');
  return {
    key: `matmul4:${s.transposeA ? 'T' : 'N'}${s.transposeB ? 'T' : 'N'}${fused ? `+${fused.epilogue.key}` : ''}:${g.tag}`,
    wgsl,
    uniforms,
    grid: g.grid(s.m, s.n, s.batch),
  };
}

/** One loader: the WGSL for the thread's vec4 number `e` (an i32 expression) of the step. */
type Vec4Load = (g: GemmShape, e: string) => string;

/** Each thread's share of a step's vec4s of one operand (tile × depth / 4 over all threads). */
function vec4Loads(g: GemmShape, load: Vec4Load): string[] {
  const threads = g.tx * g.ty;
  const tile = load === loadAN || load === loadAT ? g.tileM : g.tileN;
  return range((tile * g.depth) / (4 * threads)).map((l) => load(g, `(t + ${l * threads})`));
}

const lanes = (write: (j: number) => string) => range(4).map(write).join(' ');

/** A is [M, K]: the vector runs along k; scatter it down a column of As ([k][row]). */
const loadAN: Vec4Load = (g, e) => `    {
      let row = ${e} / ${g.depth / 4};
      let kq = ${e} % ${g.depth / 4};
      var v = vec4<f32>();
      if (row0 + row < u.M && k0 + kq * 4 < u.K) { v = vec4<f32>(a[(b * u.M + row0 + row) * (u.K / 4) + (k0 / 4 + kq)]); }
      ${lanes((j) => `As[(kq * 4 + ${j}) * ${g.tileM} + row] = v[${j}];`)}
    }`;

/** A is [K, M]: the vector runs along rows, already the As layout. */
const loadAT: Vec4Load = (g, e) => `    {
      let kk = ${e} / ${g.tileM / 4};
      let mq = ${e} % ${g.tileM / 4};
      var v = vec4<f32>();
      if (k0 + kk < u.K && row0 + mq * 4 < u.M) { v = vec4<f32>(a[(b * u.K + k0 + kk) * (u.M / 4) + (row0 / 4 + mq)]); }
      ${lanes((j) => `As[kk * ${g.tileM} + mq * 4 + ${j}] = v[${j}];`)}
    }`;

/** B is [K, N]: the vector runs along columns, the Bs layout ([k][col/4]). */
const loadBN: Vec4Load = (g, e) => `    {
      let kk = ${e} / ${g.tileN / 4};
      let nq = ${e} % ${g.tileN / 4};
      var v = vec4<f32>();
      if (k0 + kk < u.K && col0 + nq * 4 < u.N) { v = vec4<f32>(bm[(b * u.K + k0 + kk) * (u.N / 4) + (col0 / 4 + nq)]); }
      Bs[kk * ${g.tileN / 4} + nq] = v;
    }`;

/** B is [N, K]: the vector runs along k; scatter it into one lane of four Bs vectors. */
const loadBT: Vec4Load = (g, e) => `    {
      let col = ${e} / ${g.depth / 4};
      let kq = ${e} % ${g.depth / 4};
      var v = vec4<f32>();
      if (col0 + col < u.N && k0 + kq * 4 < u.K) { v = vec4<f32>(bm[(b * u.N + col0 + col) * (u.K / 4) + (k0 / 4 + kq)]); }
      ${lanes((j) => `Bs[(kq * 4 + ${j}) * ${g.tileN / 4} + col / 4][col % 4] = v[${j}];`)}
    }`;
