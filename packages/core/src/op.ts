import type { TensorSpec } from './backend.js';
import type { Tensor } from './tensor.js';

/** What a gradient function sees of the forward call. */
export interface GradContext<A> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
}

/**
 * An operation: validation and shape inference, its gradient in terms of other ops, and an
 * optional decomposition into other ops that runs when the active backend has no kernel.
 */
export interface OpDef<A = any> {
  readonly name: string;
  /** Checks inputs and attributes (typed errors) and returns the outputs' shapes and dtypes. */
  infer(inputs: readonly TensorSpec[], attrs: A): TensorSpec[];
  /**
   * Vector-Jacobian product: one gradient (or null) per input, given one gradient per output.
   * Without it, a differentiable op is differentiated through its decomposition.
   */
  grad?(dys: readonly Tensor[], ctx: GradContext<A>): (Tensor | null)[];
  /** The op expressed in other ops. */
  decompose?(inputs: readonly Tensor[], attrs: A): Tensor[];
  /** Outputs carry no gradient (comparisons, argmax, casts to int). */
  readonly nondifferentiable?: boolean;
  /** The single output shares the input's storage (reshape): no kernel runs. */
  readonly view?: boolean;
}

/** Extended by plugins (`declare module '@fovea/core'`) so their ops' attrs are typed. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface OpRegistry {}

/** Extended by backend plugins so `setBackend` names are typed. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface BackendRegistry {}

/** Extended by model plugins for `models.create` names and options. */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ModelRegistry {}
