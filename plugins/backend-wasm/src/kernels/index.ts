import type { WasmKernel } from '../backend.js';
import { convKernels, poolKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { linalgKernels } from './linalg.js';
import { movementKernels } from './movement.js';
import { reduceKernels } from './reduce.js';

/** Every kernel of the wasm backend, by op name: all primitives and the composite ops. */
export const kernels: Record<string, WasmKernel> = {
  ...elementwiseKernels,
  ...movementKernels,
  ...reduceKernels,
  ...linalgKernels,
  ...convKernels,
  ...poolKernels,
};
