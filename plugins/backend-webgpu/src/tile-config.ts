import { ValueError } from '@fovea/core';

/**
 * How the GEMM kernels (matmul and the three convolutions) cut their work: each workgroup of
 * `threads[0]` × `threads[1]` threads computes a tile of `threads[1]·block[0]` rows ×
 * `threads[0]·block[1]` columns, each thread a `block` of sums in registers.
 */
export interface TileConfig {
  /** The table entry it came from (`custom` for an override object). */
  readonly name: string;
  /** Threads per workgroup along output columns (x) and rows (y). */
  readonly threads: readonly [number, number];
  /** Output rows × columns per thread, each a multiple of 4 (rows and columns go to threads in quads). Threads, block and depth are powers of two. */
  readonly block: readonly [number, number];
  /** Reduction steps staged in workgroup memory per barrier. */
  readonly depth: number;
  /**
   * Reductions up to this length read A and B straight from storage (no workgroup memory, no
   * barriers); longer ones are staged. CPU adapters run barriers as fiber switches and have
   * caches instead of shared memory, so they read directly at any length.
   */
  readonly directMaxK: number;
  /** 16-byte loads and stores in `batchMatmul` when its operands are aligned for them. */
  readonly vec4: boolean;
  /** With fewer output tiles than this, split-K cuts the reduction to make more workgroups. */
  readonly targetWorkgroups: number;
}

export type TileName = 'large' | 'default' | 'compat' | 'cpu';

/** A table name, or a whole configuration (its `name` optional). */
export type TileOverride = TileName | (Omit<TileConfig, 'name'> & { readonly name?: string });

/**
 * The table. `large` is the classic 128×128 register-blocked SGEMM tile for discrete GPUs;
 * `default` 64×64 (the WebGPU core limits guarantee it fits); `compat` 32×32 on 64 threads for
 * adapters below the core limits (WebGPU compatibility mode allows 128 invocations); `cpu` for
 * software adapters (SwiftShader, lavapipe), chosen by measurement on both: see the README.
 */
export const TILE_CONFIGS: Readonly<Record<TileName, TileConfig>> = {
  large: { name: 'large', threads: [16, 16], block: [8, 8], depth: 8, directMaxK: 32, vec4: true, targetWorkgroups: 256 },
  default: { name: 'default', threads: [16, 16], block: [4, 4], depth: 16, directMaxK: 32, vec4: true, targetWorkgroups: 128 },
  compat: { name: 'compat', threads: [8, 8], block: [4, 4], depth: 16, directMaxK: 32, vec4: true, targetWorkgroups: 64 },
  cpu: { name: 'cpu', threads: [8, 8], block: [8, 4], depth: 16, directMaxK: Infinity, vec4: false, targetWorkgroups: 16 },
};

/** The limits and adapter facts the choice reads (a GPUAdapter's, or a test's fake). */
export interface AdapterFacts {
  readonly limits: Pick<
    GPUSupportedLimits,
    'maxComputeWorkgroupStorageSize' | 'maxComputeInvocationsPerWorkgroup' | 'maxComputeWorkgroupSizeX' | 'maxComputeWorkgroupSizeY'
  >;
  readonly info: Pick<GPUAdapterInfo, 'vendor' | 'architecture' | 'device' | 'description'> & { readonly isFallbackAdapter?: boolean };
}

const tileRows = (c: TileConfig) => c.threads[1] * c.block[0];
const tileCols = (c: TileConfig) => c.threads[0] * c.block[1];

/** Bytes of workgroup memory the staged kernels declare: two steps of A and B (double-buffered). */
export function workgroupBytes(c: TileConfig): number {
  return 2 * (tileRows(c) + tileCols(c)) * c.depth * 4;
}

/** Why `c` cannot run on an adapter with `limits` (or with the kernels' own rules), else null. */
export function tileConfigProblem(c: TileConfig, limits: AdapterFacts['limits']): string | null {
  const [tx, ty] = c.threads;
  const threads = tx * ty;
  const ints = [tx, ty, ...c.block, c.depth, c.targetWorkgroups];
  if (!ints.every((v) => Number.isInteger(v) && v > 0)) return 'threads, block, depth and targetWorkgroups must be positive integers';
  if (c.block[0] % 4 !== 0 || c.block[1] % 4 !== 0) return `block rows and columns must each be a multiple of 4 (threads own quads of each), got ${c.block.join('×')}`;
  if (c.depth % 4 !== 0) return `depth must be a multiple of 4 (vec4 loads along k), got ${c.depth}`;
  // Powers of two put each thread's staged loads at fixed offsets from its first (see stageLoads).
  if (![tx, ty, ...c.block, c.depth].every((v) => (v & (v - 1)) === 0)) return `threads, block and depth must be powers of two, got ${tx}×${ty}, ${c.block.join('×')}, ${c.depth}`;
  // Every thread stages the same number of elements, in scalars and in vec4s.
  if ((tileRows(c) * c.depth) % (4 * threads) !== 0 || (tileCols(c) * c.depth) % (4 * threads) !== 0) {
    return `a ${tileRows(c)}×${tileCols(c)}×${c.depth} tile does not split evenly over ${threads} threads in vec4s`;
  }
  if (!(c.directMaxK >= 0)) return `directMaxK must be ≥ 0, got ${c.directMaxK}`;
  if (threads > limits.maxComputeInvocationsPerWorkgroup) return `${threads} threads exceed maxComputeInvocationsPerWorkgroup ${limits.maxComputeInvocationsPerWorkgroup}`;
  if (tx > limits.maxComputeWorkgroupSizeX || ty > limits.maxComputeWorkgroupSizeY) {
    return `a ${tx}×${ty} workgroup exceeds maxComputeWorkgroupSize ${limits.maxComputeWorkgroupSizeX}×${limits.maxComputeWorkgroupSizeY}`;
  }
  if (workgroupBytes(c) > limits.maxComputeWorkgroupStorageSize) {
    return `${workgroupBytes(c)} bytes of workgroup memory exceed maxComputeWorkgroupStorageSize ${limits.maxComputeWorkgroupStorageSize}`;
  }
  return null;
}

/** Software adapters: the fallback flag where the implementation sets it, else known names. */
export function isSoftwareAdapter(info: AdapterFacts['info']): boolean {
  if (info.isFallbackAdapter) return true;
  const text = [info.vendor, info.architecture, info.device, info.description].join(' ').toLowerCase();
  return /swiftshader|llvmpipe|lavapipe|software|warp|basic render/.test(text);
}

/** Vendors whose discrete parts have the registers and bandwidth for 128×128 tiles. */
const DISCRETE_VENDORS = /nvidia|amd|ati\b|advanced micro/;

/**
 * The rule: software adapters take `cpu`; NVIDIA/AMD parts with room for it `large`; anything
 * else `default`; and whichever was picked steps down the ladder (large → default → compat)
 * until it fits the adapter's limits. `override` (a table name or a whole config) wins, but must
 * fit: a config the adapter cannot run is a ValueError, not a silent substitute.
 */
export function chooseTileConfig(adapter: AdapterFacts, override?: TileOverride): TileConfig {
  if (override !== undefined) {
    const config = typeof override === 'string' ? TILE_CONFIGS[override] : { ...override, name: override.name ?? 'custom' };
    if (!config) throw new ValueError(`webgpu: unknown tile configuration '${String(override)}'; choose ${Object.keys(TILE_CONFIGS).join(', ')} or pass a TileConfig`);
    const problem = tileConfigProblem(config, adapter.limits);
    if (problem) throw new ValueError(`webgpu: tile configuration '${config.name}' cannot run on this adapter: ${problem}`);
    return config;
  }
  if (isSoftwareAdapter(adapter.info) && !tileConfigProblem(TILE_CONFIGS.cpu, adapter.limits)) return TILE_CONFIGS.cpu;
  const discrete = DISCRETE_VENDORS.test(`${adapter.info.vendor} ${adapter.info.description}`.toLowerCase());
  const ladder: TileName[] = discrete ? ['large', 'default', 'compat'] : ['default', 'compat'];
  const fit = ladder.find((name) => !tileConfigProblem(TILE_CONFIGS[name], adapter.limits));
  if (!fit) throw new ValueError(`webgpu: the adapter's compute limits are below every tile configuration (${tileConfigProblem(TILE_CONFIGS.compat, adapter.limits)})`);
  return TILE_CONFIGS[fit];
}
