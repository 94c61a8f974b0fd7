import { Uniforms, type Program } from '../program.js';
import type { TileConfig } from '../tile-config.js';
import { bindings } from '../wgsl.js';
import type { GemmEpilogue } from './gemm.js';
import { GemmShape, range, type StagedLoad } from './gemm-shader.js';

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
 * accumulates its register block with vector fma (quads as in GemmShape). With an epilogue, each
 * lane goes through its `store` instead.
 */
export function vec4MatmulProgram(s: Vec4MatmulShape, config: TileConfig, fused?: { epilogue: GemmEpilogue; store: string }): Program {
  const g = new GemmShape(config);
  const uniforms = new Uniforms().i32('M', s.m).i32('N', s.n).i32('K', s.k);
  fused?.epilogue.uniforms(uniforms);
  return {
    key: `matmul4:${s.transposeA ? 'T' : 'N'}${s.transposeB ? 'T' : 'N'}${fused ? `+${fused.epilogue.key}` : ''}:${g.tag}`,
    // Generated only when the pipeline cache misses.
    wgsl: () => vec4MatmulSource(s, g, uniforms, fused),
    uniforms,
    grid: g.grid(s.m, s.n, s.batch),
  };
}

function vec4MatmulSource(s: Vec4MatmulShape, g: GemmShape, uniforms: Uniforms, fused?: { epilogue: GemmEpilogue; store: string }): string {
  const loads = [...vec4Loads(g, s.transposeA ? loadAT : loadAN, 'a'), ...vec4Loads(g, s.transposeB ? loadBT : loadBN, 'b')];
  const cq = (j: number) => g.colQuad(j);
  const write = (i: number, j: number) =>
    fused
      ? range(4).map((l) => `store(b, ${g.row(i)}, (${cq(j)}) * 4 + ${l}, acc${i}_${j}[${l}]);`).join(' ')
      : `y[(b * u.M + ${g.row(i)}) * (u.N / 4) + ${cq(j)}] = vec4<F>(acc${i}_${j});`;
  const stores = g.rows.flatMap((i) => g.groups.map((j) => `  if (${g.row(i)} < u.M && ${cq(j)} < u.N / 4) { ${write(i, j)} }`));
  const body = [
    '  let b = i32(wid.z);\n  let kBegin = 0;\n  let kEnd = u.K;',
    g.stagedLoop(loads),
    ...stores,
  ].join('\n');
  const operands = [{ name: 'a', type: 'vec4<F>' }, { name: 'bm', type: 'vec4<F>' }];
  const io = fused ? bindings([...operands, ...fused.epilogue.inputs], fused.epilogue.outputs, uniforms) : bindings(operands, [{ name: 'y', type: 'vec4<F>' }], uniforms);
  return [io, fused?.store ?? '', g.main(g.shared, body)].join('\n');
}

/** One loader: the thread's vec4 number `e` (an i32 expression) of each step, with its names suffixed by `n`. */
type Vec4Load = (g: GemmShape, e: string, n: string) => StagedLoad;

/** Each thread's share of a step's vec4s of one operand (tile × depth / 4 over all threads). */
function vec4Loads(g: GemmShape, load: Vec4Load, operand: 'a' | 'b'): StagedLoad[] {
  const threads = g.tx * g.ty;
  const tile = operand === 'a' ? g.tileM : g.tileN;
  return range((tile * g.depth) / (4 * threads)).map((l) => load(g, `(t + ${l * threads})`, `${operand}${l}`));
}

/** The loader reading `read(k)` into `v{n}` where `inRange(k)`, with `setup` naming its place in the tile. */
function vec4Load(n: string, setup: string, inRange: (k: string) => string, read: (k: string) => string, stash: string): StagedLoad {
  const v = `v${n}`;
  return { setup, reg: v, type: 'vec4<f32>', fetch: (k) => `${v} = vec4<f32>(); if (${inRange(k)}) { ${v} = vec4<f32>(${read(k)}); }`, stash };
}

const lanes = (write: (j: number) => string) => range(4).map(write).join(' ');

/** A is [M, K]: the vector runs along k; scatter it down a column of As ([k][row]). */
const loadAN: Vec4Load = (g, e, n) =>
  vec4Load(
    n,
    `  let row${n} = ${e} / ${g.depth / 4};\n  let kq${n} = ${e} % ${g.depth / 4};`,
    (k) => `row0 + row${n} < u.M && ${k} + kq${n} * 4 < u.K`,
    (k) => `a[(b * u.M + row0 + row${n}) * (u.K / 4) + ((${k}) / 4 + kq${n})]`,
    lanes((j) => g.stash('A', `kq${n} * 4 + ${j}`, `row${n}`, `v${n}[${j}]`)),
  );

/** A is [K, M]: the vector runs along rows, already a vec4 of the As layout. */
const loadAT: Vec4Load = (g, e, n) =>
  vec4Load(
    n,
    `  let kk${n} = ${e} / ${g.tileM / 4};\n  let mq${n} = ${e} % ${g.tileM / 4};`,
    (k) => `${k} + kk${n} < u.K && row0 + mq${n} * 4 < u.M`,
    (k) => `a[(b * u.K + ${k} + kk${n}) * (u.M / 4) + (row0 / 4 + mq${n})]`,
    `As[kk${n} * ${g.tileM / 4} + mq${n}] = v${n};`,
  );

/** B is [K, N]: the vector runs along columns, the Bs layout ([k][col/4]). */
const loadBN: Vec4Load = (g, e, n) =>
  vec4Load(
    n,
    `  let kk${n} = ${e} / ${g.tileN / 4};\n  let nq${n} = ${e} % ${g.tileN / 4};`,
    (k) => `${k} + kk${n} < u.K && col0 + nq${n} * 4 < u.N`,
    (k) => `bm[(b * u.K + ${k} + kk${n}) * (u.N / 4) + (col0 / 4 + nq${n})]`,
    `Bs[kk${n} * ${g.tileN / 4} + nq${n}] = v${n};`,
  );

/** B is [N, K]: the vector runs along k; scatter it into one lane of four Bs vectors. */
const loadBT: Vec4Load = (g, e, n) =>
  vec4Load(
    n,
    `  let col${n} = ${e} / ${g.depth / 4};\n  let kq${n} = ${e} % ${g.depth / 4};`,
    (k) => `col0 + col${n} < u.N && ${k} + kq${n} * 4 < u.K`,
    (k) => `bm[(b * u.N + col0 + col${n}) * (u.K / 4) + ((${k}) / 4 + kq${n})]`,
    lanes((j) => g.stash('B', `kq${n} * 4 + ${j}`, `col${n}`, `v${n}[${j}]`)),
  );
