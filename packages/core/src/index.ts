import './methods.js';

export type { Backend, BackendFactory, BackendOptions, KernelContext, KernelImpl, TensorInfo, TensorSpec, BackendData } from './backend.js';
export type { DType, TypedArray } from './dtype.js';
export { allocArray, bytesPerElement, isDType, promoteTypes } from './dtype.js';
export * from './errors.js';
export type { OpDef, GradContext, OpRegistry, BackendRegistry, ModelRegistry } from './op.js';
export {
  registerOp,
  getOp,
  listOps,
  registerKernel,
  registerKernels,
  getKernel,
  listKernels,
  kernelBackends,
  registerBackend,
  listBackends,
} from './registry.js';
export type { Shape } from './shape.js';
export { sizeOf, stridesOf, broadcastShapes, shapesEqual, normalizeAxis } from './shape.js';
export {
  getBackend,
  getBackendName,
  setBackend,
  ready,
  findBackend,
  removeBackend,
  onBackendEvent,
  setLogLevel,
  runOp,
  tidy,
  keep,
  dispose,
  memory,
  type BackendEvent,
  type MemoryInfo,
  type LogLevel,
} from './engine.js';
export { Tensor, type NestedArray } from './tensor.js';
export { noGrad, enableGrad, grad, vjp, zeroGrad, defineFunction, FunctionContext, isGradEnabled, type CustomFunction, type GradNode } from './autograd.js';
export { Generator, manualSeed, defaultGenerator, getRngState, setRngState } from './random.js';
export * from './creation.js';
export { gradCheck, type GradCheckOptions, type GradCheckReport } from './gradcheck.js';
export * from './ops/elementwise.js';
export * from './ops/reduce.js';
export * from './ops/movement.js';
export * from './ops/linalg.js';
export * from './ops/indexing.js';
export * from './ops/conv.js';
export * from './ops/fused.js';
export * from './ops/adam-step.js';
export * from './ops/batch-norm.js';
export * from './ops/nn.js';
export type { Operand } from './ops/util.js';
export { registerModel, models } from './models.js';
