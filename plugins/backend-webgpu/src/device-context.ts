import { BackendError } from '@fovea/core';
import { BufferPool } from './buffer-pool.js';
import { KernelProfiler } from './kernel-profiler.js';
import { BufferUsage, MapMode } from './gpu-constants.js';
import { PipelineCache } from './pipeline-cache.js';
import { ReadbackPool } from './readback-pool.js';
import type { Program } from './program.js';
import { UniformArena, type UniformSlice } from './uniform-arena.js';
import { DeviceLostError, GPUMemoryError, GPUValidationError } from './errors.js';
import { FAULT_BYTES, faultError } from './index-faults.js';

/**
 * Dispatches in the first batch after the host waited for the GPU. The GPU idles until a batch
 * is submitted, and recording 64 dispatches (a ResNet-50 forward's first stages) takes
 * milliseconds of CPU: a small first batch puts it to work sooner, and doubling the next ones
 * keeps submits few in a long run (a training step: 8, 16, 32, then 64 at a time).
 */
const FIRST_BATCH = 8;

/** Bind groups kept for reuse; past this many the least recently used is dropped. */
const MAX_BIND_GROUPS = 4096;

export interface DeviceContextOptions {
  /** Dispatches recorded before the batch is submitted without being asked to (at most: see FIRST_BATCH). */
  maxBatch?: number;
  /** Released buffer bytes kept for reuse, more destroyed (default: the most bytes once in use at the same time). */
  maxPooledBytes?: number;
  /** Verify that every program key always generates the same WGSL (tests). */
  checkKeys?: boolean;
  /** Time every dispatch on the GPU (needs the device feature `timestamp-query`): see KernelProfiler. */
  profile?: boolean;
}

/**
 * Owns one GPUDevice: records dispatches into a shared command encoder and submits them in
 * batches, uploads and reads back buffers in queue order with that work, and turns device loss
 * and uncaptured GPU errors into typed errors at the next call that can report them.
 */
export class DeviceContext {
  readonly pool: BufferPool;
  readonly readbacks: ReadbackPool;
  readonly pipelines: PipelineCache;
  /** With `profile`, the GPU time of every dispatch. */
  readonly profiler: KernelProfiler | null;
  private readonly arena: UniformArena;
  private readonly maxBatch: number;
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private recorded = 0;
  /** Dispatches this batch may reach before it is submitted unasked: FIRST_BATCH after a wait, doubling to maxBatch. */
  private batchLimit: number;
  /** Dispatches recorded since the context was made (tests count kernels with it). */
  dispatched = 0;
  /** Bind groups by their buffers (see `bindGroup`), most recently used last. */
  private readonly groups = new Map<string, GPUBindGroup>();
  private readonly bufferIds = new WeakMap<GPUBuffer, number>();
  /** Buffers the recorded batch may use, destroyed once it is submitted (staging copies, pool overflow). */
  private retired: GPUBuffer[] = [];
  private lost: { reason: string; message: string } | null = null;
  private nextBufferId = 0;
  private failure: BackendError | null = null;
  /** The fault record index-checking kernels share (see index-faults.ts), and whether one ran since it was last read. */
  private readonly faults: GPUBuffer;
  private faultsUnread = false;

  constructor(
    readonly device: GPUDevice,
    options: DeviceContextOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 64;
    this.batchLimit = Math.min(FIRST_BATCH, this.maxBatch);
    this.pool = new BufferPool(device, options.maxPooledBytes);
    this.readbacks = new ReadbackPool(device);
    this.pipelines = new PipelineCache(device, options.checkKeys ?? false);
    this.arena = new UniformArena(device, device.limits.minUniformBufferOffsetAlignment);
    this.profiler = options.profile ? new KernelProfiler(device, this.maxBatch) : null;
    this.faults = device.createBuffer({ size: FAULT_BYTES, usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST, label: 'faults' });
    void device.lost.then((info) => {
      this.lost = { reason: info.reason ?? 'unknown', message: info.message };
    });
    device.onuncapturederror = (event) => {
      const error = typedError(event.error);
      this.failure ??= error;
      // Memory the pool holds for reuse is the first to give back (PyTorch's caching allocator
      // frees its cache on an out-of-memory too), so the work after the error can allocate.
      if (error instanceof GPUMemoryError) this.emptyCache();
    };
  }

  /** Lets go of every buffer kept for reuse: the pool's (destroyed once no recorded work reads them) and the idle readbacks. */
  emptyCache(): void {
    for (const b of this.pool.drain()) this.retire(b);
    this.readbacks.drain();
  }

  /** Throws if the device is gone or an earlier command failed (reporting that once). */
  check(): void {
    if (this.lost) throw new DeviceLostError(this.lost.reason, this.lost.message);
    const failure = this.failure;
    if (failure) {
      this.failure = null;
      throw failure;
    }
  }

  get isLost(): boolean {
    return this.lost !== null;
  }

  /** Records `program`; `storage` says which float bindings hold f16 (see PipelineCache). */
  dispatch(program: Program, inputs: readonly GPUBuffer[], outputs: readonly GPUBuffer[], storage: string): void {
    this.check();
    if (program.checksIndices) {
      [outputs, storage, this.faultsUnread] = [[...outputs, this.faults], `${storage}f`, true];
    }
    const pipeline = this.pipelines.pipeline(program, inputs.length, outputs.length, storage);
    const uniforms = this.arena.push(program.uniforms.bytes());
    const group = this.bindGroup(inputs, outputs, uniforms);
    // Profiled, each dispatch is a pass of its own: timestamps mark passes, not dispatches.
    const pass = this.profiler
      ? (this.pass = this.profiler.beginPass(this.commandEncoder(), `${program.key} [${program.grid.join(', ')}]`, program.flops))
      : (this.pass ??= this.commandEncoder().beginComputePass());
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group, [uniforms.offset]);
    pass.dispatchWorkgroups(...program.grid);
    if (this.profiler) this.endPass();
    this.dispatched++;
    if (++this.recorded >= this.batchLimit) {
      this.flush();
      this.batchLimit = Math.min(2 * this.batchLimit, this.maxBatch);
    }
  }

  /** After the host waited for the queue: the GPU is idle, so the next batch is a small one. */
  private hostWaited(): void {
    this.batchLimit = Math.min(FIRST_BATCH, this.maxBatch);
  }

  /**
   * Fills `target` with `data`. With work still recorded, a direct queue write would run before
   * it (and clobber a pooled buffer that work still reads), so the copy joins the batch instead.
   */
  upload(target: GPUBuffer, data: Uint8Array<ArrayBuffer>): void {
    this.check();
    // Queue writes take whole 4-byte words (an odd count of f16 values is not).
    const bytes = data.byteLength % 4 ? padded(data) : data;
    if (!this.encoder) {
      this.device.queue.writeBuffer(target, 0, bytes);
      return;
    }
    if (isZero(bytes)) {
      // Zeros (a decomposition's `zeros` base, a fresh gradient) need no staging copy.
      this.endPass();
      this.encoder.clearBuffer(target, 0, target.size);
      return;
    }
    const staging = this.device.createBuffer({ size: target.size, usage: BufferUsage.COPY_SRC, mappedAtCreation: true });
    new Uint8Array(staging.getMappedRange()).set(bytes);
    staging.unmap();
    this.endPass();
    this.encoder.copyBufferToBuffer(staging, 0, target, 0, target.size);
    this.retired.push(staging);
  }

  /**
   * Returns a tensor's buffer to the pool, or destroys it when the pool is full. Destroying it at
   * once would fail the next submit if recorded work still reads it (a validation error, seen on a
   * real GPU at batch 32, where released bytes pass the cap), so that waits for the submit.
   */
  release(buffer: GPUBuffer): void {
    if (!this.pool.release(buffer)) this.retire(buffer);
  }

  /** Destroys `buffer` once no recorded-but-unsubmitted work can read it. */
  private retire(buffer: GPUBuffer): void {
    if (this.encoder) this.retired.push(buffer);
    else buffer.destroy();
  }

  /**
   * `bytes` of `source` (none with null), once the work recorded before has run. With it comes
   * the fault record when an index-checking kernel ran since it was last read (then cleared): a
   * fault it holds is thrown instead.
   */
  async download(source: GPUBuffer | null, bytes: number): Promise<ArrayBuffer> {
    this.check();
    const size = source ? Math.ceil(bytes / 4) * 4 : 0;
    const faults = this.faultsUnread ? FAULT_BYTES : 0;
    const readback = this.readbacks.acquire(size + faults);
    this.endPass();
    const encoder = this.commandEncoder();
    if (source) encoder.copyBufferToBuffer(source, 0, readback, 0, size);
    if (faults) {
      encoder.copyBufferToBuffer(this.faults, 0, readback, size, faults);
      encoder.clearBuffer(this.faults);
      this.faultsUnread = false;
    }
    this.flush();
    try {
      await readback.mapAsync(MapMode.READ);
      this.hostWaited();
    } catch (err) {
      readback.destroy();
      this.check();
      throw new BackendError(`webgpu: reading a buffer back failed: ${(err as Error).message}`);
    }
    const mapped = readback.getMappedRange();
    const copy = mapped.slice(0, source ? bytes : 0);
    const fault = faults ? faultError(new Uint32Array(mapped.slice(size, size + faults))) : null;
    readback.unmap();
    this.readbacks.release(readback);
    this.check();
    if (fault) throw fault;
    return copy;
  }

  /** Throws a fault an index-checking kernel recorded since the last read, once that work has run. */
  async checkFaults(): Promise<void> {
    if (this.faultsUnread) await this.download(null, 0);
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    this.arena.upload(this.device.queue);
    const readTimes = this.profiler?.resolve(this.encoder);
    this.device.queue.submit([this.encoder.finish()]);
    readTimes?.();
    this.arena.recycle();
    // Destroying after submit is safe: the implementation frees them once the GPU is done.
    for (const b of this.retired) b.destroy();
    this.retired = [];
    this.encoder = null;
    this.recorded = 0;
  }

  /** Resolves when every submitted command has run; throws what went wrong meanwhile. */
  async fence(): Promise<void> {
    this.check();
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.hostWaited();
    this.check();
  }

  destroy(): void {
    this.flush();
    for (const b of this.pool.drain()) b.destroy();
    this.readbacks.drain();
    this.arena.destroy();
    this.profiler?.destroy();
    this.device.destroy();
  }

  private commandEncoder(): GPUCommandEncoder {
    return (this.encoder ??= this.device.createCommandEncoder());
  }

  /** Bind groups held for reuse. */
  get bindGroups(): number {
    return this.groups.size;
  }

  /**
   * The bind group of these storage buffers and this uniform chunk, made once and reused: with
   * pooled buffers a model's every step binds the same buffers, and making a bind group is the
   * costliest call of a dispatch. The uniform slice's offset is dynamic, given at dispatch. A
   * destroyed buffer's groups are never asked for again (a new buffer gets a new id) and age out.
   */
  private bindGroup(inputs: readonly GPUBuffer[], outputs: readonly GPUBuffer[], uniforms: UniformSlice): GPUBindGroup {
    const buffers = [...inputs, ...outputs, uniforms.buffer];
    const key = `${inputs.length}:${buffers.map((b) => this.bufferId(b)).join(',')}:${uniforms.size}`;
    let group = this.groups.get(key);
    if (group) this.groups.delete(key);
    else {
      const entries: GPUBindGroupEntry[] = [...inputs, ...outputs].map((buffer, binding) => ({ binding, resource: { buffer } }));
      entries.push({ binding: entries.length, resource: { buffer: uniforms.buffer, offset: 0, size: uniforms.size } });
      group = this.device.createBindGroup({ layout: this.pipelines.layout(inputs.length, outputs.length).group, entries });
      if (this.groups.size >= MAX_BIND_GROUPS) this.groups.delete(this.groups.keys().next().value!);
    }
    this.groups.set(key, group);
    return group;
  }

  private bufferId(buffer: GPUBuffer): number {
    let id = this.bufferIds.get(buffer);
    if (id === undefined) this.bufferIds.set(buffer, (id = this.nextBufferId++));
    return id;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
}

function isZero(data: Uint8Array<ArrayBuffer>): boolean {
  if (data.byteOffset % 4) return false;
  const words = new Uint32Array(data.buffer, data.byteOffset, data.byteLength / 4);
  return words.every((w) => w === 0);
}

function padded(data: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(Math.ceil(data.byteLength / 4) * 4);
  out.set(data);
  return out;
}

/** Maps a WebGPU error object to our types by class name (Node's binding has no globals). */
function typedError(error: GPUError): BackendError {
  const kind = error.constructor?.name ?? '';
  if (kind === 'GPUOutOfMemoryError') return new GPUMemoryError(`webgpu: out of device memory (${error.message})`);
  if (kind === 'GPUValidationError') return new GPUValidationError(`webgpu: a command was rejected: ${error.message}`);
  return new BackendError(`webgpu: device error (${kind || 'unknown'}): ${error.message}`);
}
