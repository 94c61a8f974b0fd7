/**
 * A tensor's storage on the device. Every dtype takes 4 bytes an element on the GPU (bool as a
 * 0/1 u32), since WGSL storage arrays have no byte type.
 */
export class GPUData {
  disposed = false;

  constructor(
    readonly buffer: GPUBuffer,
    /** Elements held (the buffer may be a larger pool bucket). */
    readonly size: number,
  ) {}
}
