import type { TensorSpec } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import { Uniforms, type Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import type { WebGPUBackend } from '../webgpu-backend.js';
import { bindings, grid, perElementMain, type Binding } from '../wgsl.js';
import { GemmShape, range, type StagedLoad } from './gemm-shader.js';

/**
 * Never split the reduction into pieces shorter than this: 16 staged steps of the `large` tile,
 * enough to hide each workgroup's prologue, short enough that a batch-1 layer (4 output tiles,
 * K = 4608) splits into 36 pieces and fills a 132-SM GPU.
 */
const MIN_CHUNK = 128;

export interface GemmSpec {
  /** Names the loaders and the store below, for the cache key. */
  readonly key: string;
  /** The loaders' inputs, then the store's own (`storeInputs` of them: a bias, a residual). */
  readonly inputs: readonly Binding[];
  readonly storeInputs?: number;
  readonly outputs: readonly Binding[];
  /** Output rows, columns and the reduced length, per batch entry. */
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly batch: number;
  /** Adds the loaders' own uniforms (after M, N, K). */
  readonly uniforms?: (u: Uniforms) => void;
  /**
   * WGSL defining the loaders, called only in range. Index maths that depends on one side only
   * is split out, so each kernel computes it once per row, column or reduction step rather
   * than per element (integer division is slow on GPUs and far slower on CPU adapters):
   * `fn rowA(b: i32, row: i32) -> vec4<i32>`, `fn colB(b: i32, col: i32) -> vec4<i32>` and
   * `fn kAt(b: i32, k: i32) -> vec4<i32>` (or `kDigits`) make those contexts, and
   * `fn loadA(b: i32, r: vec4<i32>, k: vec4<i32>) -> f32`, `fn loadB(b: i32, k: vec4<i32>,
   * c: vec4<i32>) -> f32` read one element from them. This is what makes matmul and the three
   * convolutions one kernel: a convolution is a GEMM whose loaders gather image patches
   * (implicit GEMM, no im2col buffer).
   */
  readonly loaders: string;
  /**
   * WGSL defining `fn store(b: i32, row: i32, col: i32, v: f32)`, the epilogue: it may add a
   * bias or residual read from the store's inputs and apply an activation before writing the
   * output. With split-K it runs in the finishing pass, on the summed partials.
   */
  readonly store: string;
  /**
   * The radices `[mid, inner]` (WGSL expressions) when k is a mixed-radix number (outer, mid,
   * inner), as a convolution's (channel, kh, kw) or (image, oh, ow): the kernel then defines
   * `kAt` itself, returning the digits (k, outer, mid, inner), and the loaders compute their
   * offsets from those. Without it the spec's `kAt` must be linear in k. Either way a thread
   * calls `kAt` before its loop (for its start and its step sizes) and then steps the context
   * forward by adding (with carries between digits), so no loop divides by a radix.
   */
  readonly kDigits?: readonly [string, string];
  /** Whether consecutive k are adjacent in memory for A (resp. B): picks the load order. */
  readonly aContiguousK: boolean;
  readonly bContiguousK: boolean;
  /**
   * The input bindings of A and B, which the loaders read only through `readA(i: i32) -> f32`
   * and `readB(i)` (defined here per kernel). Where k is contiguous and every 4 k from a
   * multiple of 4 lie in one aligned vec4 (K % 4 == 0, rows or columns starting on multiples of
   * 4), `vec4` also defines `fn loadA4(b: i32, r: vec4<i32>, k: vec4<i32>) -> vec4<f32>` (resp.
   * `loadB4(b, k, c)`) reading k..k+3 with `readA4(i) -> vec4<f32>`: the staged kernel then
   * loads that operand 16 bytes at a time, on adapters whose tiles take vec4 loads.
   */
  readonly a: GemmOperand;
  readonly b: GemmOperand;
}

export interface GemmOperand {
  readonly input: number;
  readonly vec4: string | null;
}

/**
 * Elementwise work a GEMM's store does on its way out (the pending elementwise ops that read a
 * matmul's result, see fusion.ts): extra bindings and uniforms, and statements that compute from
 * the sum `gv` at flat output index `i` and write the outputs themselves.
 */
export interface GemmEpilogue {
  /** Names the code, for the cache key. */
  readonly key: string;
  readonly inputs: readonly Binding[];
  readonly outputs: readonly Binding[];
  readonly uniforms: (u: Uniforms) => void;
  readonly helpers: string;
  readonly body: () => string;
}

/**
 * The store function running `e` for the output at flat index `index` (a WGSL expression of
 * `b`, `row` and `col`).
 */
export function epilogueStore(e: GemmEpilogue, index: string): string {
  return `${e.helpers}
fn store(b: i32, row: i32, col: i32, gv: f32) {
  let i = ${index};
${e.body()}
}`;
}

/** The loaders' and the store's shares of `list` (bindings or buffers, in the spec's order). */
function byUse<T>(spec: GemmSpec, list: readonly T[]): { loaders: T[]; store: T[] } {
  const at = list.length - (spec.storeInputs ?? 0);
  return { loaders: list.slice(0, at), store: list.slice(at) };
}

/** How many pieces to cut the reduction into: enough workgroups to fill the device. */
function splitsFor(spec: GemmSpec, shape: GemmShape): number {
  const tiles = shape.tiles(spec.m, spec.n, spec.batch);
  const target = shape.config.targetWorkgroups;
  if (tiles >= target) return 1;
  return Math.max(1, Math.min(Math.ceil(target / tiles), Math.floor(spec.k / MIN_CHUNK)));
}

/**
 * Records the GEMM with the backend's tile configuration. With few output tiles and a long
 * reduction (a filter gradient sums over every image position), the reduction is split across
 * workgroups (split-K): each writes a partial product, and a second pass sums the partials and
 * stores them.
 */
export function runGemm(backend: WebGPUBackend, spec: GemmSpec, inputs: readonly GPUData[], output: TensorSpec): GPUData[] {
  const y = backend.alloc(sizeOfShape(output.shape), 'float32');
  if (y.size > 0) recordGemm(backend, spec, inputs, [y]);
  return [y];
}

/** Records the GEMM (and its split-K finish) writing `outputs`, one per `spec.outputs`. */
export function recordGemm(backend: WebGPUBackend, spec: GemmSpec, inputs: readonly GPUData[], outputs: readonly GPUData[]): void {
  const staged = spec.k > backend.tiles.directMaxK;
  // 16-byte loads: staged only (a direct thread reads one k at a time).
  const vec4 = { a: staged && backend.tiles.vec4 && spec.a.vec4 !== null, b: staged && backend.tiles.vec4 && spec.b.vec4 !== null };
  const shape = new GemmShape(backend.tiles, { m: spec.m, n: spec.n, staged });
  const splits = splitsFor(spec, shape);
  // Chunks are whole staged steps, so only the last one runs short.
  const chunk = Math.ceil(Math.ceil(spec.k / splits) / shape.depth) * shape.depth;
  const uniforms = new Uniforms().i32('M', spec.m).i32('N', spec.n).i32('K', spec.k);
  uniforms.i32('batch', spec.batch).i32('splits', splits).i32('kChunk', chunk).i32('count', spec.batch * spec.m * spec.n);
  spec.uniforms?.(uniforms);
  if (splits === 1) {
    backend.run(gemmProgram(spec, shape, uniforms, staged, vec4, 1), inputs, outputs);
    return;
  }
  const data = byUse(spec, inputs);
  const partial = backend.alloc(splits * spec.batch * spec.m * spec.n, 'float32', true);
  backend.run(gemmProgram(spec, shape, uniforms, staged, vec4, splits), data.loaders, [partial]);
  backend.run(finishProgram(spec, uniforms), [partial, ...data.store], outputs);
  // Safe at once: any later use of this buffer is queued after the finish pass.
  backend.disposeData(partial);
}

/**
 * The register-blocked GEMM over workgroup z = (batch entry, reduction piece). Staged: the
 * workgroup copies tileM×depth of A and depth×tileN of B into workgroup memory per step, and
 * each thread reads its row and column quads from it (see GemmShape). Direct: each thread reads
 * its own A rows and B columns from storage. A split writes raw partial sums.
 */
function gemmProgram(spec: GemmSpec, shape: GemmShape, uniforms: Uniforms, staged: boolean, vec4: Vec4Operands, splits: number): Program {
  const tag = vec4.a || vec4.b ? `:v${vec4.a ? 'a' : ''}${vec4.b ? 'b' : ''}` : '';
  return {
    key: `gemm:${spec.key}:${staged ? 'staged' : 'direct'}${tag}:${splits > 1 ? 'partial' : 'store'}:${shape.tag}`,
    // Generated only when the pipeline cache misses: building it costs more than the dispatch.
    wgsl: () => gemmSource(spec, shape, uniforms, staged, vec4, splits),
    uniforms,
    grid: shape.grid(spec.m, spec.n, spec.batch * splits),
    flops: 2 * spec.batch * spec.m * spec.n * spec.k,
  };
}

function gemmSource(spec: GemmSpec, shape: GemmShape, uniforms: Uniforms, staged: boolean, vec4: Vec4Operands, splits: number): string {
  const split = splits > 1;
  const cols = range(shape.config.block[1]).map((c) => shape.col(c));
  const lanes = (q: number) => range(4).map((l) => 4 * q + l);
  const outputs: readonly Binding[] = split ? [{ name: 'partial', type: 'f32' }] : spec.outputs;
  const head = `  let b = i32(wid.z) / u.splits;
  let piece = i32(wid.z) % u.splits;
  let kBegin = piece * u.kChunk;
  let kEnd = min(u.K, kBegin + u.kChunk);`;
  const loads = staged ? [...stageLoads(shape, 'A', spec.aContiguousK, vec4.a), ...stageLoads(shape, 'B', spec.bContiguousK, vec4.b)] : [];
  const loop = staged
    ? shape.stagedLoop(loads)
    : // Threads whose first row or column is outside the output have nothing to add.
      `  if (${shape.row(0)} < u.M && ${cols[0]} < u.N) {
${shape.rows.map((i) => `    let ra${i} = rowA(b, ${shape.row(i)});`).join('\n')}
${cols.map((col, c) => `    let cb${c} = colB(b, ${col});`).join('\n')}
    let kBy = kAt(b, 1);
    var kc = kAt(b, kBegin);
    for (var k = kBegin; k < kEnd; k++) {
${cols.map((col, c) => `      var b${c} = 0.0;\n      if (${col} < u.N) { b${c} = loadB(b, kc, cb${c}); }`).join('\n')}
${shape.rows.map((i) => `      var a${i} = 0.0;\n      if (${shape.row(i)} < u.M) { a${i} = loadA(b, ra${i}, kc); }`).join('\n')}
${shape.fmaStep((q) => `vec4<f32>(${lanes(q).map((i) => `a${i}`).join(', ')})`, (j) => `vec4<f32>(${lanes(j).map((c) => `b${c}`).join(', ')})`)}
      kc = kNext(kc, kBy);
    }
  }`;
  const stores = shape.rows.flatMap((i) =>
    cols.map((col, c) => {
      const v = `acc${i}_${c >> 2}[${c & 3}]`;
      const write = split ? `partial[((piece * u.batch + b) * u.M + ${shape.row(i)}) * u.N + ${col}] = ${v};` : `store(b, ${shape.row(i)}, ${col}, ${v});`;
      return `  if (${shape.row(i)} < u.M && ${col} < u.N) { ${write} }`;
    }),
  );
  const shared = staged ? shape.shared : '';
  const inputs = (split ? byUse(spec, spec.inputs).loaders : spec.inputs).map((b, i) =>
    (i === spec.a.input && vec4.a) || (i === spec.b.input && vec4.b) ? { ...b, type: 'vec4<F>' } : b,
  );
  const readers = (['a', 'b'] as const).map((o) => operandReaders(o, inputs[spec[o].input]!.name, vec4[o] ? spec[o].vec4 : null)).join('\n');
  const body = [head, loop, ...stores];
  return [bindings(inputs, outputs, uniforms), readers, spec.loaders, kStepping(spec.kDigits), split ? '' : spec.store, shape.main(shared, body.join('\n'))].join('\n');
}

/**
 * `kNext(c, by)`: the k context c moved on by the step whose context is `by`. A linear context
 * adds; digits add with a carry each (every digit of `by` is below its radix, so one
 * subtraction brings a digit back in range). With digits, also `kAt`, the only division.
 */
function kStepping(digits: GemmSpec['kDigits']): string {
  if (!digits) return 'fn kNext(c: vec4<i32>, by: vec4<i32>) -> vec4<i32> { return c + by; }';
  const [mid, inner] = digits;
  return `fn kAt(b: i32, k: i32) -> vec4<i32> {
  let rest = k / (${inner});
  return vec4<i32>(k, rest / (${mid}), rest % (${mid}), k % (${inner}));
}
fn kNext(c: vec4<i32>, by: vec4<i32>) -> vec4<i32> {
  var d = c + by;
  if (d.w >= ${inner}) { d.w -= ${inner}; d.z += 1; }
  if (d.z >= ${mid}) { d.z -= ${mid}; d.y += 1; }
  return d;
}`;
}

/** Sums the split-K partials of each output element, in piece order, and stores the result. */
function finishProgram(spec: GemmSpec, uniforms: Uniforms): Program {
  const wgsl = () =>
    [
      bindings([{ name: 'partial', type: 'f32' }, ...byUse(spec, spec.inputs).store], spec.outputs, uniforms),
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
 * A thread's `count` loads, l = 0, 1, …: the offsets (π_l, δ_l) = `split(l · threads)` of the
 * t = 0 thread's (every thread's differ from its own by its p and d), ordered by δ, the order
 * they are made in. `steps[i]` is the k step from the load before to load i; `wrap`, from the
 * last to the next step's first.
 */
function planLoads(depth: number, count: number, threads: number, split: (e: number) => { pi: number; delta: number }) {
  const plans = range(count)
    .map((l) => ({ l, ...split(l * threads) }))
    .sort((x, y) => x.delta - y.delta || x.l - y.l);
  const steps = plans.map((x, i) => x.delta - (i > 0 ? plans[i - 1]!.delta : 0));
  return { plans, steps, wrap: depth - plans[plans.length - 1]!.delta };
}

/** `a + n` as WGSL, or `a` when n is 0. */
const plus = (a: string, n: number) => (n ? `${a} + ${n}` : a);

/** Which operands the staged kernel loads 16 bytes at a time. */
interface Vec4Operands {
  readonly a: boolean;
  readonly b: boolean;
}

/**
 * `readA(i)` (or `readB`): element i of the operand's binding, scalar or (when its binding is
 * vec4) one lane; with `vec4`, also `readA4(i)`, the aligned vec4 at i, and the spec's `loadA4`.
 */
function operandReaders(operand: 'a' | 'b', binding: string, vec4: string | null): string {
  const name = operand.toUpperCase();
  if (!vec4) return `fn read${name}(i: i32) -> f32 { return f32(${binding}[i]); }`;
  return `fn read${name}(i: i32) -> f32 { return f32(${binding}[i / 4][i % 4]); }
fn read${name}4(i: i32) -> vec4<f32> { return vec4<f32>(${binding}[i / 4]); }
${vec4}`;
}

/**
 * The loads one thread makes to stage a step of A (tileM rows) or B (tileN columns) in workgroup
 * memory, laid out [k][row or column]. Threads walk k fastest when k is contiguous in memory, so
 * their reads coalesce; with `vec4` (k contiguous and aligned), each load is 4 consecutive k, one
 * 16-byte read (K, chunk and step boundaries are multiples of 4, so 4 such k are all in range or
 * all out). Load l of thread t reads element e = t + l·threads of the step: its row or column
 * is p + π_l and its k offset d + δ_l, where p and d depend on t only and, sizes being powers of
 * two, π_l and δ_l on l only. So the thread makes one k context (`kAt`) and one row or column
 * context per distinct π, once; each step it visits its loads in order of δ, stepping the k
 * context on by the differences (`kNext`), and on by the rest of the step after the last.
 */
function stageLoads(shape: GemmShape, which: 'A' | 'B', contiguousK: boolean, vec4: boolean): StagedLoad[] {
  const threads = shape.tx * shape.ty;
  const [tile, origin, limit, context] = which === 'A' ? [shape.tileM, 'row0', 'u.M', 'rowA'] : [shape.tileN, 'col0', 'u.N', 'colB'];
  const n = which.toLowerCase();
  // Along k: `span` loads of `unit` k each cover a step's depth.
  const along = contiguousK || vec4;
  const unit = vec4 ? 4 : 1;
  const span = shape.depth / unit;
  const { plans, steps, wrap } = planLoads(shape.depth, (tile * span) / threads, threads, (e) =>
    along ? { pi: Math.floor(e / span), delta: (e % span) * unit } : { pi: e % tile, delta: Math.floor(e / tile) },
  );
  const setup = [
    `  let p${n} = ${along ? `t / ${span}` : `t % ${tile}`};`,
    `  let k${n} = ${along ? `(t % ${span}) * ${unit}` : `t / ${tile}`};`,
    `  var kc${n} = kAt(b, kBegin + k${n});`,
    ...[...new Set(plans.map((x) => x.pi))].map((pi) => `  let c${n}${pi} = ${context}(b, ${origin} + ${plus(`p${n}`, pi)});`),
  ];
  setup.push(...[...new Set([...steps, wrap])].filter((by) => by > 0).map((by) => `  let ks${n}${by} = kAt(b, ${by});`));
  const advance = (by: number) => (by > 0 ? ` kc${n} = kNext(kc${n}, ks${n}${by});` : '');
  return plans.map((x, i) => {
    const [v, c, d, pos] = [`v${n}${x.l}`, `c${n}${x.pi}`, plus(`k${n}`, x.delta), plus(`p${n}`, x.pi)];
    const load = which === 'A' ? `loadA${vec4 ? '4' : ''}(b, ${c}, kc${n})` : `loadB${vec4 ? '4' : ''}(b, kc${n}, ${c})`;
    const zero = vec4 ? 'vec4<f32>()' : '0.0';
    return {
      setup: i === 0 ? setup.join('\n') : '',
      reg: v,
      type: vec4 ? 'vec4<f32>' : 'f32',
      fetch: (k) =>
        `${advance(steps[i]!)} ${v} = ${zero}; if (${origin} + ${pos} < ${limit} && ${k} + ${d} < kEnd) { ${v} = ${load}; }${i === plans.length - 1 ? advance(wrap) : ''}`.trim(),
      stash: vec4 ? range(4).map((q) => shape.stash(which, `${d} + ${q}`, pos, `${v}[${q}]`)).join(' ') : shape.stash(which, d, pos, v),
    };
  });
}
