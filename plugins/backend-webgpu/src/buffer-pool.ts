import { BufferUsage } from './gpu-constants.js';

/** Usage of every tensor buffer: bound as storage, filled and read back by copies. */
export const TENSOR_USAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/**
 * Rounds a request up to its bucket: four buckets per power of two (at most 25% waste), never
 * under 16 bytes, always a multiple of 16 so any bucket can be copied and bound.
 */
export function bucketSize(bytes: number): number {
  if (bytes <= 16) return 16;
  const octave = 2 ** Math.floor(Math.log2(bytes));
  const quarter = Math.max(octave / 4, 16);
  return Math.ceil(bytes / quarter) * quarter;
}

export interface PoolStats {
  /** Bytes of buffers handed out and not yet released. */
  readonly usedBytes: number;
  /** Bytes of released buffers kept for reuse. */
  readonly freeBytes: number;
  readonly buffersCreated: number;
  readonly reuses: number;
}

/**
 * Reuses storage buffers by size bucket. Released buffers go straight back to the free list:
 * recorded-but-unsubmitted work that still reads them runs before any later use in queue order,
 * because every later write is recorded into the same command stream (see DeviceContext).
 *
 * A request takes the bucket's oldest free buffer, not the last released: which buffers a
 * training step gets then depends on which are free, not on the order earlier steps released
 * them in, so more steps repeat the last one's buffers and the dispatches over them reuse their
 * bind groups (a ResNet-18 step on Dawn made ~410 new bind groups with the last released, ~205
 * with the oldest; each costs tens of µs of CPU).
 */
export class BufferPool {
  /** Free buffers by bucket, newest first (the oldest is popped). */
  private readonly free = new Map<number, GPUBuffer[]>();
  /** When each buffer was made: its age. */
  private readonly born = new WeakMap<GPUBuffer, number>();
  private used = 0;
  private peak = 0;
  private freeTotal = 0;
  private created = 0;
  private reused = 0;

  constructor(
    private readonly device: GPUDevice,
    /**
     * Released bytes kept above this are destroyed instead of pooled. By default the most bytes
     * ever in use at once: each step of a training loop then reuses the last step's buffers (under a
     * fixed cap below a step's working set, such as 512 MiB for a ResNet-18 step at batch 32, every
     * step would create, and clear, new ones), and the pool never holds more than was once needed.
     */
    private readonly maxFreeBytes?: number,
  ) {}

  acquire(bytes: number): GPUBuffer {
    const size = bucketSize(bytes);
    const list = this.free.get(size);
    const pooled = list?.pop();
    this.used += size;
    this.peak = Math.max(this.peak, this.used);
    if (pooled) {
      this.freeTotal -= size;
      this.reused++;
      return pooled;
    }
    const buffer = this.device.createBuffer({ size, usage: TENSOR_USAGE });
    this.born.set(buffer, this.created++);
    return buffer;
  }

  /**
   * Takes `buffer` back; false when keeping it would pass the cap. The caller then destroys it,
   * once no recorded-but-unsubmitted work reads it (see DeviceContext.release).
   */
  release(buffer: GPUBuffer): boolean {
    this.used -= buffer.size;
    if (this.freeTotal + buffer.size > (this.maxFreeBytes ?? this.peak)) return false;
    let list = this.free.get(buffer.size);
    if (!list) this.free.set(buffer.size, (list = []));
    list.splice(this.newerThan(list, buffer), 0, buffer);
    this.freeTotal += buffer.size;
    return true;
  }

  /** How many of `list`'s buffers are newer than `buffer` (where it goes to keep the order). */
  private newerThan(list: readonly GPUBuffer[], buffer: GPUBuffer): number {
    const age = this.born.get(buffer)!;
    let [lo, hi] = [0, list.length];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.born.get(list[mid]!)! > age) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  stats(): PoolStats {
    return { usedBytes: this.used, freeBytes: this.freeTotal, buffersCreated: this.created, reuses: this.reused };
  }

  /**
   * Empties the pool, handing back every pooled buffer for the caller to destroy (buffers in use
   * belong to their tensors). What it keeps from then on is measured from the bytes in use now,
   * not from an earlier, bigger workload's peak.
   */
  drain(): GPUBuffer[] {
    const buffers = [...this.free.values()].flat();
    this.free.clear();
    this.freeTotal = 0;
    this.peak = this.used;
    return buffers;
  }
}
