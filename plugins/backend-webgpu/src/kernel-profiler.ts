import { BufferUsage, MapMode } from './gpu-constants.js';

/** GPU time spent in one kernel (a shader at one grid size), summed over its launches. */
export interface KernelTime {
  /** The program key and grid, e.g. `gemm:conv…:staged:t16x16b8x8d8 [4, 13, 32]`. */
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
  /** Floating-point operations over its launches, for kernels that say (the GEMMs): with `ms`, a rate. */
  readonly flops?: number;
}

/**
 * Times every dispatch on the GPU with timestamp queries (the `timestamp-query` feature): each
 * dispatch gets a compute pass of its own whose start and end are written to a query set; a
 * batch's timestamps are resolved before it is submitted and read back asynchronously. Passes
 * per dispatch cost a little: use it to find where time goes, not to time the whole.
 */
export class KernelProfiler {
  private readonly queries: GPUQuerySet;
  private labels: Launch[] = [];
  private readonly pending: Promise<void>[] = [];
  private readonly totals = new Map<string, { calls: number; ns: bigint; flops: number }>();

  constructor(
    private readonly device: GPUDevice,
    /** Dispatches per submitted batch at most. */
    private readonly capacity: number,
  ) {
    this.queries = device.createQuerySet({ type: 'timestamp', count: 2 * capacity });
  }

  /** A compute pass for one dispatch of `label` (doing `flops`, where known), its start and end timed. */
  beginPass(encoder: GPUCommandEncoder, label: string, flops = 0): GPUComputePassEncoder {
    const slot = this.labels.push({ label, flops }) - 1;
    if (slot >= this.capacity) throw new Error(`webgpu profiler: more than ${this.capacity} dispatches in one batch`);
    return encoder.beginComputePass({ timestampWrites: { querySet: this.queries, beginningOfPassWriteIndex: 2 * slot, endOfPassWriteIndex: 2 * slot + 1 } });
  }

  /**
   * Records the copy of this batch's timestamps; the returned function, called once the batch
   * is submitted, reads them back into the totals.
   */
  resolve(encoder: GPUCommandEncoder): () => void {
    const labels = this.labels;
    this.labels = [];
    if (!labels.length) return () => undefined;
    const bytes = labels.length * 16;
    const resolved = this.device.createBuffer({ size: bytes, usage: BufferUsage.QUERY_RESOLVE | BufferUsage.COPY_SRC });
    const readback = this.device.createBuffer({ size: bytes, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    encoder.resolveQuerySet(this.queries, 0, 2 * labels.length, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, readback, 0, bytes);
    return () => {
      resolved.destroy();
      this.pending.push(
        readback.mapAsync(MapMode.READ).then(() => {
          const stamps = new BigUint64Array(readback.getMappedRange());
          labels.forEach((launch, i) => this.add(launch, stamps[2 * i + 1]! - stamps[2 * i]!));
          readback.destroy();
        }),
      );
    };
  }

  /** The kernels timed since the last call, longest total first; starts a new count. */
  async take(): Promise<KernelTime[]> {
    await Promise.all(this.pending.splice(0));
    const times = [...this.totals].map(([kernel, t]) => ({ kernel, calls: t.calls, ms: Number(t.ns) / 1e6, ...(t.flops ? { flops: t.flops } : {}) }));
    this.totals.clear();
    return times.sort((a, b) => b.ms - a.ms);
  }

  destroy(): void {
    this.queries.destroy();
  }

  private add({ label, flops }: Launch, ns: bigint): void {
    const t = this.totals.get(label) ?? { calls: 0, ns: 0n, flops: 0 };
    this.totals.set(label, { calls: t.calls + 1, ns: t.ns + (ns > 0n ? ns : 0n), flops: t.flops + flops });
  }
}

/** One timed dispatch: its kernel's label and the work it does. */
interface Launch {
  readonly label: string;
  readonly flops: number;
}
