import type { KernelImpl } from '@fovea/core';
import { adamKernels } from './adam.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { matmulKernels } from './matmul.js';
import { movementKernels } from './movement.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { softmaxKernels } from './softmax.js';

/** Every kernel this backend registers, by op name. */
export const webgpuKernels: Record<string, KernelImpl> = {
  ...elementwiseKernels,
  ...movementKernels,
  ...reduceKernels,
  ...matmulKernels,
  ...convKernels,
  ...poolKernels,
  ...softmaxKernels,
  ...adamKernels,
};
