/**
 * @fovea/backend-js — the reference backend. Importing this module registers the 'js' backend
 * (priority 1, so wasm and WebGPU win where they start) and its kernels.
 */
import { registerBackend, registerKernels } from '@fovea/core';
import { JsBackend } from './backend.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import { fusedKernels } from './fused.js';
import { gatherKernels } from './gather.js';
import { matmulKernels } from './matmul.js';
import { movementKernels } from './movement.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';

export { JsBackend, type JsData, type JsKernel } from './backend.js';
export { gemm, type MatrixView, type GemmOperand } from './gemm.js';

/** Every kernel this backend registers, by op name. */
export const kernels = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...movementKernels,
  ...gatherKernels,
  ...matmulKernels,
  ...convKernels,
  ...fusedKernels,
  ...poolKernels,
};

registerBackend('js', () => new JsBackend(), { priority: 1 });
registerKernels('js', kernels);
