import { BackendError } from '@fovea/core';

/** No WebGPU implementation or no adapter: the backend cannot start here. */
export class WebGPUUnavailableError extends BackendError {}

/** The device was lost (driver reset, `destroy()`, GPU removed); its tensors are gone. */
export class DeviceLostError extends BackendError {
  constructor(
    readonly reason: string,
    detail: string,
  ) {
    super(`webgpu: the device was lost (${reason}${detail ? `: ${detail}` : ''}); its tensors cannot be used, start the backend again`);
  }
}

/** The device ran out of memory while allocating or running a kernel. */
export class GPUMemoryError extends BackendError {}

/** A single buffer larger than the adapter allows (`maxBufferSize` / binding size). */
export class BufferTooLargeError extends BackendError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
    readonly limitName: string,
  ) {
    super(`webgpu: a buffer of ${bytes} bytes exceeds the device's ${limitName} of ${limit} bytes`);
  }
}

/** WebGPU rejected a command or shader: a bug in this backend, reported rather than ignored. */
export class GPUValidationError extends BackendError {}

/** Use of storage after `disposeData` freed it. */
export class DisposedDataError extends BackendError {}
