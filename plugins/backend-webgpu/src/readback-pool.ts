import { bucketSize } from './buffer-pool.js';
import { BufferUsage } from './gpu-constants.js';

/** Mappable buffers kept per size: a loop's reads in flight at once (a loss and a metric, say). */
const KEPT_PER_SIZE = 4;

/** Bigger reads (whole activations) are rare in a loop: their buffer is made for the read and destroyed after. */
const MAX_KEPT_SIZE = 4 << 20;

/**
 * The mappable buffers reads copy into, kept for the next read of the same size. On a discrete
 * GPU making one costs more than the round trip it serves: on an H200 through Dawn/Vulkan, a
 * 256-byte read took 0.58–0.73 ms with a new buffer each time and 0.04–0.05 ms reusing one (the
 * driver allocates and clears host-visible memory for each).
 */
export class ReadbackPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private made = 0;

  constructor(private readonly device: GPUDevice) {}

  /** An unmapped buffer of at least `bytes`. */
  acquire(bytes: number): GPUBuffer {
    const size = bucketSize(bytes);
    const kept = this.free.get(size)?.pop();
    if (kept) return kept;
    this.made++;
    return this.device.createBuffer({ size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
  }

  /** Takes back an unmapped buffer from `acquire`, or destroys it (too big, or enough of its size kept). */
  release(buffer: GPUBuffer): void {
    const list = this.free.get(buffer.size) ?? [];
    if (buffer.size > MAX_KEPT_SIZE || list.length >= KEPT_PER_SIZE) {
      buffer.destroy();
      return;
    }
    list.push(buffer);
    this.free.set(buffer.size, list);
  }

  /** Buffers made so far (tests). */
  get buffersCreated(): number {
    return this.made;
  }

  /** Destroys every kept buffer. */
  drain(): void {
    for (const b of [...this.free.values()].flat()) b.destroy();
    this.free.clear();
  }
}
