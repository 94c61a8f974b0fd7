import { enableGrad, full, keep, noGrad, shapesEqual, ShapeError, Tensor, tidy, ValueError, zeroGrad } from '@fovea/core';

/** Per-parameter optimizer state: tensors (moment estimates) and numbers (step counts). */
export type ParamState = Record<string, Tensor | number | number[] | number[][]>;

/** A group of parameters with its own hyperparameters (e.g. a backbone at 1/10 the LR). */
export type ParamGroup<O> = O & { params: Tensor[] };

/** What a constructor takes: parameters, or groups that override some hyperparameters. */
export type ParamsInput<O> = Iterable<Tensor> | readonly (Partial<O> & { params: Iterable<Tensor> })[];

/** A closure re-evaluates the model: zero grads, forward, backward, return the loss. */
export type Closure = () => Tensor | number;

/**
 * Everything an optimizer saves, as plain data plus tensors: state keyed by the parameter's index
 * over all groups (as PyTorch does), and each group's hyperparameters with its parameter indices.
 */
export interface OptimizerStateDict {
  state: Record<string, ParamState>;
  paramGroups: (Record<string, unknown> & { params: number[] })[];
}

export interface BaseOptions {
  lr: number;
}

/**
 * Parameter groups, per-parameter state and its save/restore, shared by every optimizer. The
 * hyperparameters a group leaves out come from the optimizer's defaults.
 */
export abstract class BaseOptimizer<O extends BaseOptions> {
  readonly paramGroups: ParamGroup<O>[] = [];
  readonly state = new Map<Tensor, ParamState>();

  constructor(
    params: ParamsInput<O>,
    readonly defaults: O,
  ) {
    type GroupInput = Partial<O> & { params: Iterable<Tensor> };
    const list = [...(params as Iterable<Tensor | GroupInput>)];
    if (list.length === 0) throw new ValueError(`${this.constructor.name}: got an empty parameter list`);
    const groups = list.every((p) => p instanceof Tensor) ? [{ params: list } as unknown as GroupInput] : (list as GroupInput[]);
    for (const group of groups) this.addParamGroup(group);
  }

  /** Adds parameters with their own hyperparameters (e.g. layers unfrozen while fine-tuning). */
  addParamGroup(group: Partial<O> & { params: Iterable<Tensor> }): void {
    const params = [...group.params];
    const seen = new Set(this.paramGroups.flatMap((g) => g.params));
    for (const p of params) {
      if (!(p instanceof Tensor)) throw new ValueError(`${this.constructor.name}: parameters must be tensors, got ${String(p)}`);
      if (seen.has(p)) throw new ValueError(`${this.constructor.name}: a parameter appears in more than one group (or twice in one)`);
      seen.add(p);
    }
    const merged = { ...this.defaults, ...group, params } as ParamGroup<O>;
    this.validate(merged);
    this.paramGroups.push(merged);
  }

  /** Checks one group's hyperparameters; throws a ValueError naming the bad one. */
  protected abstract validate(group: O): void;

  /** Drops every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`). */
  zeroGrad(): void {
    for (const g of this.paramGroups) zeroGrad(g.params);
  }

  stateDict(): OptimizerStateDict {
    const index = this.#indices();
    const state: Record<string, ParamState> = {};
    for (const [p, s] of this.state) state[index.get(p)!] = { ...s };
    const paramGroups = this.paramGroups.map(({ params, ...hyper }) => ({ ...hyper, params: params.map((p) => index.get(p)!) }));
    return { state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by `stateDict` for the same parameters in the same
   * order. Checks everything first: on error nothing changes.
   */
  loadStateDict(saved: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (saved.paramGroups.length !== this.paramGroups.length || saved.paramGroups.some((g, i) => g.params.length !== this.paramGroups[i]!.params.length)) {
      const sizes = (gs: { params: unknown[] }[]) => `[${gs.map((g) => g.params.length).join(', ')}]`;
      throw new ValueError(`${name}.loadStateDict: saved groups hold ${sizes(saved.paramGroups)} parameters, this optimizer ${sizes(this.paramGroups)}`);
    }
    const params = this.paramGroups.flatMap((g) => g.params);
    for (const [key, s] of Object.entries(saved.state)) {
      const p = params[Number(key)];
      if (!p) throw new ValueError(`${name}.loadStateDict: state for parameter ${key}, but there are ${params.length}`);
      for (const [field, v] of Object.entries(s)) {
        if (v instanceof Tensor && !shapesEqual(v.shape, p.shape)) {
          throw new ShapeError(`${name}.loadStateDict: state '${field}' of parameter ${key} has shape [${v.shape}], the parameter [${p.shape}]`);
        }
      }
    }
    saved.paramGroups.forEach(({ params: _, ...hyper }, i) => this.validate({ ...this.paramGroups[i]!, ...hyper }));
    this.disposeState();
    saved.paramGroups.forEach(({ params: _, ...hyper }, i) => Object.assign(this.paramGroups[i]!, hyper));
    for (const [key, s] of Object.entries(saved.state)) {
      const copy: ParamState = {};
      for (const [field, v] of Object.entries(s)) copy[field] = v instanceof Tensor ? keep(v.detach()) : structuredClone(v);
      this.state.set(params[Number(key)]!, copy);
    }
  }

  /** Frees the state tensors (moment estimates, buffers). */
  disposeState(): void {
    for (const s of this.state.values()) for (const v of Object.values(s)) if (v instanceof Tensor) v.dispose();
    this.state.clear();
  }

  #indices(): Map<Tensor, number> {
    return new Map(this.paramGroups.flatMap((g) => g.params).map((p, i) => [p, i]));
  }
}

/**
 * A first-order optimizer: `step()` updates, in place and without recording gradients, every
 * parameter that has a gradient, from that gradient and the parameter's state.
 */
export abstract class Optimizer<O extends BaseOptions> extends BaseOptimizer<O> {
  /** One update; with a closure, it is called first (with gradients on) and its loss returned. */
  step(closure?: Closure): Tensor | number | undefined {
    const loss = closure ? enableGrad(closure) : undefined;
    noGrad(() =>
      tidy(() => {
        for (const group of this.paramGroups) {
          for (const p of group.params) {
            if (!p.grad) continue;
            let s = this.state.get(p);
            if (!s) this.state.set(p, (s = {}));
            this.update(p, p.grad, s, group);
          }
        }
      }),
    );
    return loss;
  }

  /** Updates one parameter (via `p.assign`) and its state (via `store`). Runs inside noGrad and tidy. */
  protected abstract update(p: Tensor, grad: Tensor, state: ParamState, group: O): void;
}

/** A state tensor, or before its first `store` a stand-in filled with `fill`, freed after the step. */
export function stored(state: ParamState, key: string, like: Tensor, fill = 0): Tensor {
  return (state[key] as Tensor | undefined) ?? full(like.shape, fill);
}

/** Saves `value` as state `key`, in place when it exists; the saved tensor outlives the step. */
export function store(state: ParamState, key: string, value: Tensor): Tensor {
  const current = state[key] as Tensor | undefined;
  if (current) return current.assign(value);
  return (state[key] = keep(value.detach()));
}

/** Throws unless every named hyperparameter is a finite number ≥ 0 (and < 1 where asked). */
export function requireRange(optimizer: string, group: object, nonNegative: readonly string[], belowOne: readonly string[] = []): void {
  const values = group as Record<string, unknown>;
  for (const key of [...nonNegative, ...belowOne]) {
    const v = values[key];
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= 0 && (!belowOne.includes(key) || v < 1);
    if (!ok) throw new ValueError(`${optimizer}: ${key} must be a finite number ${belowOne.includes(key) ? 'in [0, 1)' : '>= 0'}, got ${JSON.stringify(v)}`);
  }
}
