import { BufferUsage } from './gpu-constants.js';

const CHUNK_BYTES = 64 * 1024;

interface Chunk {
  readonly buffer: GPUBuffer;
  readonly host: Uint8Array<ArrayBuffer>;
  used: number;
}

export interface UniformSlice {
  readonly buffer: GPUBuffer;
  readonly offset: number;
  readonly size: number;
}

/**
 * Per-batch storage for kernel uniforms (shapes, strides, scalars). Each dispatch gets an
 * aligned slice; the host copies are uploaded with one `writeBuffer` per chunk just before the
 * batch is submitted, so uniforms never force a pipeline rebuild or a submit of their own.
 */
export class UniformArena {
  private readonly active: Chunk[] = [];
  private readonly spare: Chunk[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly alignment: number,
  ) {}

  /** Copies `bytes` into the current batch's uniforms. */
  push(bytes: Uint8Array<ArrayBuffer>): UniformSlice {
    let chunk = this.active[this.active.length - 1];
    if (!chunk || chunk.used + bytes.byteLength > CHUNK_BYTES) {
      chunk = this.spare.pop() ?? this.newChunk();
      this.active.push(chunk);
    }
    const offset = chunk.used;
    chunk.host.set(bytes, offset);
    chunk.used = Math.ceil((offset + bytes.byteLength) / this.alignment) * this.alignment;
    return { buffer: chunk.buffer, offset, size: bytes.byteLength };
  }

  /** Uploads this batch's uniforms; call right before submitting the batch. */
  upload(queue: GPUQueue): void {
    for (const c of this.active) queue.writeBuffer(c.buffer, 0, c.host, 0, c.used);
  }

  /** Makes the chunks reusable; later writes are queued after the submitted batch. */
  recycle(): void {
    for (const c of this.active) c.used = 0;
    this.spare.push(...this.active.splice(0));
  }

  destroy(): void {
    for (const c of [...this.active, ...this.spare]) c.buffer.destroy();
    this.active.length = 0;
    this.spare.length = 0;
  }

  private newChunk(): Chunk {
    const buffer = this.device.createBuffer({ size: CHUNK_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST });
    return { buffer, host: new Uint8Array(CHUNK_BYTES), used: 0 };
  }
}
