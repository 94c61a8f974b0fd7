export {
  BaseOptimizer, Optimizer, type BaseOptions, type Closure, type OptimizerStateDict, type ParamGroup, type ParamState, type ParamsInput,
} from './optimizer.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adam, AdamW, type AdamOptions } from './adam.js';
// The op's contract lives in core (backends implement it); re-exported where Adam's users look.
export { adamStep, type AdamStepAttrs } from '@fovea/core';
export { LBFGS, type LBFGSOptions } from './lbfgs.js';
export {
  LRScheduler, StepLR, ExponentialLR, InverseTimeDecay, CosineAnnealingLR, LinearWarmup, type Schedulable, type SchedulerStateDict,
} from './schedulers.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type PlateauStateDict } from './plateau.js';
export { EMA, type EMAOptions, type EMAStateDict } from './ema.js';
export { clipGradNorm, clipGradValue } from './clip.js';
