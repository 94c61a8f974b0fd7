import { ValueError, type Backend, type DType, type TensorSpec, type TypedArray } from '@fovea/core';
import { DeviceContext, type DeviceContextOptions } from './device-context.js';
import { BufferTooLargeError, DisposedDataError, WebGPUUnavailableError } from './errors.js';
import { Fuser } from './fusion.js';
import type { KernelTime } from './kernel-profiler.js';
import { fromHalves, toHalves } from './half.js';
import { keepsF32 } from './precision.js';
import { GPUData, type PendingGemm, type PendingOp } from './gpu-data.js';
import { findGPU } from './gpu-source.js';
import type { Program } from './program.js';
import { sizeOfShape } from './shape-utils.js';
import { chooseTileConfig, isSoftwareAdapter, type AdapterFacts, type TileConfig, type TileOverride } from './tile-config.js';

/** How float32 tensors are stored on the device. */
export type Storage = 'f32' | 'f16';

export interface WebGPUBackendOptions extends DeviceContextOptions {
  /** A WebGPU entry point to use instead of `navigator.gpu` or Node's `webgpu` package. */
  gpu?: GPU;
  /** An adapter already requested (consumed: one device per adapter). Pass its `gpu` too, or keep that alive yourself. */
  adapter?: GPUAdapter;
  powerPreference?: GPUPowerPreference;
  /** The GEMM tile configuration: a table name or a whole config, instead of the adapter rule. */
  tiles?: TileOverride;
  /** Fuse chains of elementwise ops into one kernel each (default true); see fusion.ts. */
  fusion?: boolean;
  /** The name it registers under, when not `webgpu` (a second device, a differently tuned instance). */
  name?: string;
  /**
   * How float32 tensors are kept on the device: `f32`, or `f16` (half the memory and bandwidth;
   * values rounded to half precision when written, computed in f32, read back as float32).
   * With `f16`, `adamStep` still writes parameters and moments as f32, as mixed-precision
   * training keeps them: Adam's second moment underflows in f16; so do squares and what is
   * summed from them elementwise (RMSprop's and Adagrad's state, see precision.ts). Needs `shader-f16`.
   */
  storage?: Storage;
}

/** What the backend runs on and how it chose to run there. */
export interface WebGPUInfo {
  /** Vendor, architecture, device and description, as the adapter reports them. */
  readonly adapter: string;
  /** A software adapter (SwiftShader, lavapipe) rather than a GPU. */
  readonly software: boolean;
  readonly tiles: TileConfig;
  /** Elementwise chains run fused. */
  readonly fusion: boolean;
  readonly storage: Storage;
}

// Limits raised from WebGPU's defaults to what the adapter offers: big tensors, big tiles.
const RAISED_LIMITS = [
  'maxBufferSize',
  'maxStorageBufferBindingSize',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
] as const;

export class WebGPUBackend implements Backend<GPUData> {
  /** Pending elementwise ops and the lifetime of storage they read. */
  readonly fuser: Fuser;

  /** Requests an adapter and a device; throws WebGPUUnavailableError when there is none. */
  static async create(options: WebGPUBackendOptions = {}): Promise<WebGPUBackend> {
    const gpu = options.adapter ? (options.gpu ?? null) : await gpuOrThrow(options);
    const adapter = options.adapter ?? (await requestAdapter(gpu!, options));
    const requiredLimits: Record<string, number> = {};
    for (const name of RAISED_LIMITS) requiredLimits[name] = adapter.limits[name];
    const facts = { limits: adapter.limits, info: adapterFacts(adapter) };
    const tiles = chooseTileConfig(facts, options.tiles);
    const storage = options.storage ?? 'f32';
    if (storage === 'f16' && !adapter.features.has('shader-f16')) {
      throw new WebGPUUnavailableError(`webgpu: storage 'f16' needs the adapter feature shader-f16, which ${describeAdapter(adapter.info)} does not offer`);
    }
    if (options.profile && !adapter.features.has('timestamp-query')) {
      throw new WebGPUUnavailableError(`webgpu: profile needs the adapter feature timestamp-query, which ${describeAdapter(adapter.info)} does not offer`);
    }
    const requiredFeatures: GPUFeatureName[] = [...(storage === 'f16' ? ['shader-f16' as const] : []), ...(options.profile ? ['timestamp-query' as const] : [])];
    const device = await adapter.requestDevice({ requiredLimits, requiredFeatures, label: 'fovea' });
    const info: WebGPUInfo = { adapter: describeAdapter(adapter.info), software: isSoftwareAdapter(facts.info), tiles, fusion: options.fusion ?? true, storage };
    return new WebGPUBackend(new DeviceContext(device, options), info, gpu, options.name);
  }

  constructor(
    readonly context: DeviceContext,
    readonly info: WebGPUInfo,
    /**
     * Held for the device's lifetime: Dawn for Node tears its instance down when the GPU object
     * is garbage-collected, which crashes devices still in use.
     */
    readonly gpu: GPU | null = null,
    readonly name: string = 'webgpu',
  ) {
    this.fuser = new Fuser({
      maxBindings: context.device.limits.maxStorageBuffersPerShaderStage,
      alloc: (size, dtype, full) => this.alloc(size, dtype, full),
      recycle: (buffer) => {
        if (!context.isLost) context.release(buffer);
      },
      dispatch: (program, inputs, outputs) => this.dispatch(program, inputs, outputs),
    });
  }

  get device(): GPUDevice {
    return this.context.device;
  }

  get tiles(): TileConfig {
    return this.info.tiles;
  }

  /**
   * One-element values (the scalars in `mul(x, 0.5)`, an optimizer's hyperparameters) stay on
   * the host until a kernel binds them: fused kernels take them as uniforms, so most never
   * need a buffer, nor an upload (a staging buffer each, while work is recorded). They stay
   * f32 under f16 storage too: an eps of 1e-8 is 0 in f16.
   */
  write(values: TypedArray, spec: TensorSpec): GPUData {
    const size = sizeOfShape(spec.shape);
    if (size === 1) {
      this.context.check();
      const data = new GPUData(null, 1);
      data.hostValue = Number(values[0]);
      data.unsent = toDeviceBytes(values.slice());
      return data;
    }
    const data = this.alloc(size, spec.dtype);
    if (size > 0) this.context.upload(data.buffer!, toDeviceBytes(data.half ? toHalves(values as Float32Array) : values));
    return data;
  }

  async read(data: GPUData, spec: TensorSpec): Promise<TypedArray> {
    assertLive(data);
    if (data.size === 0) return fromDeviceBytes(new ArrayBuffer(0), spec.dtype);
    this.fuser.realize(data);
    this.context.check();
    // A host value never touches the device, but a fault recorded before this read is still
    // reported. Asked again after the wait: a kernel may have sent the value meanwhile.
    if (data.unsent) await this.context.checkFaults();
    const bytes = data.unsent ? data.unsent.slice().buffer : await this.context.download(data.buffer!, data.size * (data.half ? 2 : 4));
    return data.half ? fromHalves(new Uint16Array(bytes)) : fromDeviceBytes(bytes, spec.dtype);
  }

  disposeData(data: GPUData): void {
    if (data.held) this.fuser.release(data);
  }

  memoryInfo(): Record<string, number> {
    const pool = this.context.pool.stats();
    return {
      gpuBytesInUse: pool.usedBytes,
      gpuBytesPooled: pool.freeBytes,
      gpuBuffersCreated: pool.buffersCreated,
      gpuBufferReuses: pool.reuses,
      pipelines: this.context.pipelines.size,
      bindGroups: this.context.bindGroups,
    };
  }

  /**
   * GPU time per kernel since the last call, longest first (a backend created with `profile`).
   * Waits for the work recorded so far to finish.
   */
  async kernelTimes(): Promise<KernelTime[]> {
    const profiler = this.context.profiler;
    if (!profiler) throw new ValueError(`webgpu: kernelTimes() needs a backend created with { profile: true }`);
    await this.context.fence();
    return profiler.take();
  }

  async sync(): Promise<void> {
    await this.context.fence();
    await this.context.checkFaults();
  }

  /**
   * Frees the buffers the pool keeps for reuse (PyTorch's `torch.cuda.empty_cache()`): between
   * workloads of different shapes, where the last one's pooled buffers would otherwise sit beside
   * the next one's (on a device with little memory, an out-of-memory error with the memory unused
   * in the pool). The mappable buffers kept for reads go too. Tensors keep their storage.
   */
  emptyCache(): void {
    this.context.emptyCache();
  }

  dispose(): void {
    this.context.destroy();
  }

  /**
   * Fresh storage for `size` elements of `dtype` (contents undefined until a kernel writes
   * them): float32 as f16 with f16 storage, unless `full`.
   */
  alloc(size: number, dtype: DType, full = false): GPUData {
    this.context.check();
    const half = !full && this.halves(dtype);
    return new GPUData(this.context.pool.acquire(this.checkedBytes(size, half ? 2 : 4)), size, null, half);
  }

  /**
   * Storage for an elementwise op's result: pending (run later, fused with the elementwise ops
   * around it) when fusion is on, else computed now by `run`. Size limits are checked at once
   * either way, so a too-large result fails where it is asked for.
   */
  elementwise(op: PendingOp, run: (full: boolean) => GPUData[]): GPUData {
    this.context.check();
    const full = this.halves(op.dtype) && keepsF32(op);
    this.checkedBytes(sizeOfShape(op.shape), this.halves(op.dtype) && !full ? 2 : 4);
    if (!this.info.fusion || sizeOfShape(op.shape) === 0) return run(full)[0]!;
    const data = this.fuser.defer(op);
    data.wide = full;
    return data;
  }

  /**
   * Storage for a GEMM's `size`-element float32 result: recorded by `record` now, or with fusion
   * on when something needs it (then the elementwise ops reading it may run in its store).
   */
  gemm(size: number, inputs: readonly GPUData[], record: PendingGemm['record']): GPUData {
    this.context.check();
    this.checkedBytes(size, this.halves('float32') ? 2 : 4);
    if (this.info.fusion && size > 0) return this.fuser.deferGemm(size, { inputs, record });
    const y = this.alloc(size, 'float32');
    if (size > 0) record([y]);
    return y;
  }

  /** Records `program` reading `inputs` and writing `outputs`; pending inputs are computed first. */
  run(program: Program, inputs: readonly GPUData[], outputs: readonly GPUData[]): void {
    for (const d of inputs) {
      assertLive(d);
      this.fuser.realize(d);
      if (d.unsent) this.send(d);
    }
    this.dispatch(program, inputs, outputs);
  }

  private dispatch(program: Program, inputs: readonly GPUData[], outputs: readonly GPUData[]): void {
    const storage = `${inputs.map((d) => (d.half ? 'h' : 'f')).join('')}>${outputs.map((d) => (d.half ? 'h' : 'f')).join('')}`;
    this.context.dispatch(
      program,
      inputs.map((d) => d.buffer!),
      outputs.map((d) => d.buffer!),
      storage,
    );
  }

  /** Uploads a one-element value the host wrote (see `write`) into a buffer of its own. */
  private send(data: GPUData): void {
    data.buffer = this.context.pool.acquire(this.checkedBytes(1, data.half ? 2 : 4));
    this.context.upload(data.buffer, data.unsent!);
    data.unsent = null;
  }

  /** Whether new `dtype` storage is binary16. */
  private halves(dtype: DType): boolean {
    return dtype === 'float32' && this.info.storage === 'f16';
  }

  /** Bytes for `size` elements, or the typed error when one buffer cannot hold them. */
  private checkedBytes(size: number, perElement: number): number {
    const bytes = Math.max(size, 1) * perElement;
    const limits = this.device.limits;
    if (bytes > limits.maxBufferSize) throw new BufferTooLargeError(bytes, limits.maxBufferSize, 'maxBufferSize');
    if (bytes > limits.maxStorageBufferBindingSize) {
      throw new BufferTooLargeError(bytes, limits.maxStorageBufferBindingSize, 'maxStorageBufferBindingSize');
    }
    return bytes;
  }
}

/** The adapter's info with its fallback flag, which older implementations keep on the adapter. */
export function adapterFacts(adapter: GPUAdapter): AdapterFacts['info'] {
  const i = adapter.info;
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  return { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: i.isFallbackAdapter ?? legacy ?? false };
}

export function describeAdapter(info: GPUAdapterInfo): string {
  return [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
}

async function gpuOrThrow(options: WebGPUBackendOptions): Promise<GPU> {
  if (options.gpu) return options.gpu;
  const found = await findGPU();
  if (!found.gpu) throw new WebGPUUnavailableError(`webgpu: ${found.reason}`);
  return found.gpu;
}

async function requestAdapter(gpu: GPU, options: WebGPUBackendOptions): Promise<GPUAdapter> {
  const adapter = await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
  if (!adapter) throw new WebGPUUnavailableError('webgpu: the WebGPU implementation offers no adapter (no usable GPU or driver)');
  return adapter;
}

function assertLive(data: GPUData): void {
  if (data.disposed) throw new DisposedDataError('webgpu: this tensor storage was already disposed');
}

/** Host values as device bytes: bool widens from one byte to a u32 per element. */
function toDeviceBytes(values: TypedArray | Uint16Array): Uint8Array<ArrayBuffer> {
  const words = values instanceof Uint8Array ? Uint32Array.from(values) : values;
  // Queue writes take shared buffers too; the cast only narrows TypeScript's view.
  return new Uint8Array(words.buffer as ArrayBuffer, words.byteOffset, words.byteLength);
}

function fromDeviceBytes(bytes: ArrayBuffer, dtype: DType): TypedArray {
  if (dtype === 'float32') return new Float32Array(bytes);
  if (dtype === 'int32') return new Int32Array(bytes);
  return Uint8Array.from(new Uint32Array(bytes));
}
