import { keep, ValueError, zeroGrad, type Tensor } from '@fovea/core';
import { loadInto, type LoadOptions, type LoadReport, type StateDictInput } from './state-dict.js';

/** Called after a module's forward with its inputs and output (for summaries and inspection). */
export type ForwardHook = (module: Module, inputs: readonly Tensor[], output: Tensor) => void;

type Named<T> = [string, T][];

/**
 * The base of every layer and model, in the shape of PyTorch's `nn.Module`: parameters, buffers
 * and child modules are registered under names, and their dotted paths (`layer1.0.conv1.weight`)
 * are PyTorch's `state_dict` keys, so torchvision weights load without a mapping table.
 */
export abstract class Module {
  /** Training mode (dropout active, batch norm on batch statistics); see `train()` / `eval()`. */
  training = true;
  readonly #parameters = new Map<string, Tensor>();
  readonly #buffers = new Map<string, Tensor>();
  readonly #children = new Map<string, Module>();
  readonly #hooks = new Set<ForwardHook>();

  /** The computation; call the module with `call()` so hooks run. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * Optional hook for `fuseForInference`: a new module computing this one's eval-mode forward
   * with its layers fused, leaving this one as it is. For modules that call their children
   * themselves (a residual block), so the generic Sequential rewrite cannot reach inside.
   */
  fuse?(): Module;

  /** Runs `forward`, then the forward hooks. */
  call(...inputs: Tensor[]): Tensor {
    const output = this.forward(...inputs);
    for (const hook of this.#hooks) hook(this, inputs, output);
    return output;
  }

  /** Adds a hook run after every `call`; returns the function that removes it. */
  registerForwardHook(hook: ForwardHook): () => void {
    this.#hooks.add(hook);
    return () => this.#hooks.delete(hook);
  }

  /** Registers (or replaces) a trainable tensor; it requires grad and outlives `tidy` scopes. */
  registerParameter(name: string, value: Tensor): Tensor {
    this.#claim(name, this.#parameters);
    if (!value.isLeaf) throw new ValueError(`parameter '${name}' must be a leaf tensor (not computed from tensors that require grad); pass value.detach()`);
    this.#parameters.set(name, keep(value.requiresGrad_(true)));
    return value;
  }

  /** Registers (or replaces) a state tensor that is saved but not trained (running statistics). */
  registerBuffer(name: string, value: Tensor): Tensor {
    this.#claim(name, this.#buffers);
    this.#buffers.set(name, keep(value));
    return value;
  }

  /** Registers (or replaces) a child module under `name`; returns it, for field initialisers. */
  register<M extends Module>(name: string, module: M): M {
    if (!(module instanceof Module)) throw new ValueError(`register('${name}'): expected a Module, got ${String(module)}`);
    this.#claim(name, this.#children);
    this.#children.set(name, module);
    return module;
  }

  /** Checks a name is usable and not taken by another kind of member. */
  #claim(name: string, kind: Map<string, unknown>): void {
    if (typeof name !== 'string' || name === '' || name.includes('.')) {
      throw new ValueError(`module member names must be non-empty and contain no '.', got ${JSON.stringify(name)}`);
    }
    for (const other of [this.#parameters, this.#buffers, this.#children]) {
      if (other !== kind && other.has(name)) throw new ValueError(`'${name}' is already registered on ${this.constructor.name} as another kind of member`);
    }
  }

  /** Direct children with their names. */
  namedChildren(): Named<Module> {
    return [...this.#children];
  }

  children(): Module[] {
    return [...this.#children.values()];
  }

  /** This module and every descendant, depth first, with dotted paths ('' for this one). */
  namedModules(prefix = ''): Named<Module> {
    const out: Named<Module> = [[prefix, this]];
    for (const [name, child] of this.#children) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Own members of one kind, then those of descendants, with dotted names; shared tensors once. */
  #namedMembers(pick: (m: Module) => Map<string, Tensor>, recurse: boolean, unique: boolean): Named<Tensor> {
    const seen = new Set<Tensor>();
    const out: Named<Tensor> = [];
    const modules: Named<Module> = recurse ? this.namedModules() : [['', this]];
    for (const [path, module] of modules) {
      for (const [name, t] of pick(module)) {
        if (unique && seen.has(t)) continue;
        seen.add(t);
        out.push([path ? `${path}.${name}` : name, t]);
      }
    }
    return out;
  }

  namedParameters(recurse = true): Named<Tensor> {
    return this.#namedMembers((m) => m.#parameters, recurse, true);
  }

  parameters(recurse = true): Tensor[] {
    return this.namedParameters(recurse).map(([, t]) => t);
  }

  namedBuffers(recurse = true): Named<Tensor> {
    return this.#namedMembers((m) => m.#buffers, recurse, true);
  }

  buffers(recurse = true): Tensor[] {
    return this.namedBuffers(recurse).map(([, t]) => t);
  }

  /**
   * Parameters and buffers by `state_dict` name, in PyTorch's order (each module's parameters,
   * then its buffers, then its children). The values are the live tensors, not copies.
   */
  stateDict(): Map<string, Tensor> {
    return new Map(this.#namedMembers((m) => new Map([...m.#parameters, ...m.#buffers]), true, false));
  }

  /**
   * Copies tensors into this module's parameters and buffers by name. Mis-shaped entries always
   * throw; missing and unexpected ones throw too when `strict` (the default). On error nothing
   * is changed, and the `StateDictError` lists every offending key.
   */
  loadStateDict(stateDict: StateDictInput, options: LoadOptions = {}): LoadReport {
    return loadInto(this.stateDict(), stateDict, options);
  }

  /** Sets training mode on this module and every descendant. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Turns gradient tracking of every parameter on or off (off freezes them). */
  requiresGrad_(flag = true): this {
    for (const p of this.parameters()) p.requiresGrad_(flag);
    return this;
  }

  /** Calls `fn` on every descendant, then on this module (as PyTorch's `apply`, e.g. for init). */
  apply(fn: (module: Module) => void): this {
    for (const child of this.#children.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /** Drops the gradients of every parameter. */
  zeroGrad(): void {
    zeroGrad(this.parameters());
  }

  /** The configuration `toString` shows, e.g. `{inFeatures: 784, outFeatures: 100}` (PyTorch's extra_repr). */
  protected extraRepr(): Record<string, unknown> {
    return {};
  }

  /** PyTorch-style description of the module tree: `Sequential(\n  (0): Linear(inFeatures=784, …)\n)`. */
  toString(): string {
    const config = Object.entries(this.extraRepr())
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${k}=${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)
      .join(', ');
    const children = this.namedChildren().map(([name, m]) => `  (${name}): ${m.toString().replace(/\n/g, '\n  ')}`);
    return `${this.constructor.name}(${config}${children.length ? `\n${children.join('\n')}\n` : ''})`;
  }

  /** Node's `console.log(model)` shows the same tree. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /** Frees every parameter and buffer; the module cannot be used afterwards. */
  dispose(): void {
    for (const t of [...this.parameters(), ...this.buffers()]) t.dispose();
  }
}
