import './register.js';

export { registration } from './register.js';
export { WebGPUBackend, type WebGPUBackendOptions } from './webgpu-backend.js';
export { webgpuKernels } from './kernels/index.js';
export { GPUData } from './gpu-data.js';
export { findGPU, type GPUSource } from './gpu-source.js';
export {
  WebGPUUnavailableError,
  DeviceLostError,
  GPUMemoryError,
  BufferTooLargeError,
  GPUValidationError,
  DisposedDataError,
} from './errors.js';
