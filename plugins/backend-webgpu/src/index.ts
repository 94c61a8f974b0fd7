import './register.js';

export { registration } from './register.js';
export { WebGPUBackend, type WebGPUBackendOptions, type WebGPUInfo, type Storage } from './webgpu-backend.js';
export type { KernelTime } from './kernel-profiler.js';
export { TILE_CONFIGS, chooseTileConfig, type TileConfig, type TileName, type TileOverride } from './tile-config.js';
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
