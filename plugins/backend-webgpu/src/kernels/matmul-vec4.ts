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
  /** A is one matrix for every batch entry (a 1×1 convolution's filter, the images the batch). */
  readonly sharedA?: boolean;
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
  const g = new GemmShape(config, { m: s.m, n: s.n, staged: true });
  const aligned = s.m % g.tileM === 0 && s.n % g.tileN === 0 && s.k % g.depth === 0;
  const uniforms = new Uniforms().i32('M', s.m).i32('N', s.n).i32('K', s.k);
  fused?.epilogue.uniforms(uniforms);
  return {
    key: `matmul4:${s.transposeA ? 'T' : 'N'}${s.transposeB ? 'T' : 'N'}${s.sharedA ? ':sharedA' : ''}${fused ? `+${fused.epilogue.key}` : ''}${aligned ? ':al' : ''}:${g.tag}`,
    // Generated only when the pipeline cache misses.
    wgsl: () => vec4MatmulSource(s, g, aligned, uniforms, fused),
    uniforms,
    grid: g.grid(s.m, s.n, s.batch),
    flops: 2 * s.batch * s.m * s.n * s.k,
  };
}

/**
 * `aligned`: the shape is a whole number of tiles and of steps (GEMM 4096³; not ResNet's 1×1
 * convolutions, whose 56², 28², 14² and 7² positions are no whole number of 128-column tiles),
 * so no load or store needs a bounds check. Dropping them took GEMM 4096³ from 4.0–4.2 to 3.9 ms
 * on an H200; the one check left, a uniform branch, keeps the last step from prefetching past
 * the end.
 */
function vec4MatmulSource(s: Vec4MatmulShape, g: GemmShape, aligned: boolean, uniforms: Uniforms, fused?: { epilogue: GemmEpilogue; store: string }): string {
  const loads = [...vec4Loads(g, 'A', !s.transposeA, !s.sharedA, aligned), ...vec4Loads(g, 'B', s.transposeB, true, aligned)];
  const cq = (j: number) => g.colQuad(j);
  const write = (i: number, j: number) =>
    fused
      ? range(4).map((l) => `store(b, ${g.row(i)}, (${cq(j)}) * 4 + ${l}, acc${i}_${j}[${l}]);`).join(' ')
      : `y[(b * u.M + ${g.row(i)}) * (u.N / 4) + ${cq(j)}] = vec4<F>(acc${i}_${j});`;
  const stores = g.rows.flatMap((i) => g.groups.map((j) => (aligned ? `  ${write(i, j)}` : `  if (${g.row(i)} < u.M && ${cq(j)} < u.N / 4) { ${write(i, j)} }`)));
  const body = [
    '  let b = i32(wid.z);\n  let kBegin = 0;\n  let kEnd = u.K;',
    g.stagedLoop(loads),
    ...stores,
  ].join('\n');
  const operands = [{ name: 'a', type: 'vec4<F>' }, { name: 'bm', type: 'vec4<F>' }];
  const io = fused ? bindings([...operands, ...fused.epilogue.inputs], fused.epilogue.outputs, uniforms) : bindings(operands, [{ name: 'y', type: 'vec4<F>' }], uniforms);
  return [io, fused?.store ?? '', g.main(g.shared, body)].join('\n');
}

/** One operand as the loaders see it: A's rows (M) or B's columns (N) make its side of the tile. */
interface Operand {
  readonly which: 'A' | 'B';
  readonly binding: 'a' | 'bm';
  /** Rows of A or columns of B (the uniform), and where the workgroup's tile starts along them. */
  readonly extent: 'u.M' | 'u.N';
  readonly origin: 'row0' | 'col0';
  /** Whether each batch entry has a matrix of its own (else all read entry 0's). */
  readonly batched: boolean;
  /** Whole tiles and steps: its loads need no bounds check (see vec4MatmulSource). */
  readonly aligned: boolean;
}

/** Rows of A's tile or columns of B's. */
const tileOf = (g: GemmShape, o: Operand) => (o.which === 'A' ? g.tileM : g.tileN);

/**
 * Each thread's share of a step's vec4s of one operand (tile × depth / 4 over all threads):
 * `alongK` when the operand's vectors run along k (A as is, B transposed), else along its side.
 */
function vec4Loads(g: GemmShape, which: 'A' | 'B', alongK: boolean, batched: boolean, aligned: boolean): StagedLoad[] {
  const side = which === 'A' ? ({ which, binding: 'a', extent: 'u.M', origin: 'row0' } as const) : ({ which, binding: 'bm', extent: 'u.N', origin: 'col0' } as const);
  const o: Operand = { ...side, batched, aligned };
  const threads = g.tx * g.ty;
  const load = alongK ? loadAlongK : loadAlongSide;
  return range((tileOf(g, o) * g.depth) / (4 * threads)).map((l) => load(g, o, `(t + ${l * threads})`, `${o.binding}${l}`));
}

/**
 * The loader reading `read(k)` into `v{n}` where `inRange(k)` (zero elsewhere), or for an aligned
 * operand wherever the step starts before `kEnd`; `setup` names its place in the tile.
 */
function vec4Load(o: Operand, n: string, setup: string, inRange: (k: string) => string, read: (k: string) => string, stash: string): StagedLoad {
  const v = `v${n}`;
  const fetch = o.aligned
    ? (k: string) => `if (${k} < kEnd) { ${v} = vec4<f32>(${read(k)}); }`
    : (k: string) => `${v} = vec4<f32>(); if (${inRange(k)}) { ${v} = vec4<f32>(${read(k)}); }`;
  return { setup, reg: v, type: 'vec4<f32>', fetch, stash };
}

/** The vector runs along k ([M, K] or [N, K]): scatter its lanes down one tile column ([k][pos]). */
function loadAlongK(g: GemmShape, o: Operand, e: string, n: string): StagedLoad {
  return vec4Load(
    o,
    n,
    `  let p${n} = ${e} / ${g.depth / 4};\n  let kq${n} = ${e} % ${g.depth / 4};`,
    (k) => `${o.origin} + p${n} < ${o.extent} && ${k} + kq${n} * 4 < u.K`,
    (k) => `${o.binding}[(${o.batched ? `b * ${o.extent} + ` : ''}${o.origin} + p${n}) * (u.K / 4) + ((${k}) / 4 + kq${n})]`,
    range(4).map((j) => g.stash(o.which, `kq${n} * 4 + ${j}`, `p${n}`, `v${n}[${j}]`)).join(' '),
  );
}

/** The vector runs along the tile's side ([K, M] or [K, N]): already a vec4 of its layout. */
function loadAlongSide(g: GemmShape, o: Operand, e: string, n: string): StagedLoad {
  const quads = tileOf(g, o) / 4;
  return vec4Load(
    o,
    n,
    `  let kk${n} = ${e} / ${quads};\n  let q${n} = ${e} % ${quads};`,
    (k) => `${k} + kk${n} < u.K && ${o.origin} + q${n} * 4 < ${o.extent}`,
    (k) => `${o.binding}[(${o.batched ? 'b * u.K + ' : ''}${k} + kk${n}) * (${o.extent} / 4) + (${o.origin} / 4 + q${n})]`,
    `${g.slot(o.which, `kk${n} * ${quads} + q${n}`)} = v${n};`,
  );
}
