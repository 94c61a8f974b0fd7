import { allocArray } from './dtype.js';
import { fromValues, keep, runOp, tidy, wrapData } from './engine.js';
import { GradError, ShapeError } from './errors.js';
import type { OpDef } from './op.js';
import { registries } from './registry.js';
import { fmtShape, shapesEqual } from './shape.js';
import { Tensor } from './tensor.js';

/** One recorded call: how to turn its outputs' gradients into its inputs' gradients. */
export interface GradNode {
  readonly name: string;
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];
  backward(dys: readonly Tensor[]): (Tensor | null)[];
  freed: boolean;
}

export function isGradEnabled(): boolean {
  return registries().gradEnabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const r = registries();
  const previous = r.gradEnabled;
  r.gradEnabled = enabled;
  try {
    return fn();
  } finally {
    r.gradEnabled = previous;
  }
}

/** Runs `fn` without recording gradients (PyTorch's `torch.no_grad()`). */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/** Runs `fn` with gradient recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}

function link(node: GradNode): void {
  node.outputs.forEach((t, i) => {
    t.gradFn = node;
    t.outputIndex = i;
    if (t.dtype === 'float32') t.requiresGrad = true;
  });
}

/** Records an op call so that `backward` can differentiate it. */
export function attachGradNode<A>(def: OpDef<A>, inputs: readonly Tensor[], outputs: readonly Tensor[], attrs: A): void {
  const backward = def.grad
    ? (dys: readonly Tensor[]) => def.grad!(dys, { inputs: node.inputs, outputs: node.outputs, attrs })
    : def.decompose
      ? (dys: readonly Tensor[]) => vjpOfDecomposition(def, node.inputs, attrs, dys)
      : null;
  if (!backward) throw new GradError(`op '${def.name}' has neither a gradient nor a decomposition to differentiate`);
  const node: GradNode = { name: def.name, inputs, outputs, backward, freed: false };
  link(node);
}

/** Differentiates an op that ran as a fused kernel by replaying its decomposition. */
function vjpOfDecomposition<A>(def: OpDef<A>, inputs: readonly Tensor[], attrs: A, dys: readonly Tensor[]): (Tensor | null)[] {
  return vjp((...xs) => def.decompose!(xs, attrs), inputs, dys).map((g, i) => (inputs[i]!.requiresGrad ? g : null));
}

export function detachTensor(t: Tensor): Tensor {
  t.assertLive('detach');
  return wrapData(t.dataId, t, t.backendName);
}

function zerosFor(t: Tensor): Tensor {
  return fromValues(allocArray(t.dtype, t.size), t.shape, t.dtype);
}

/** Nodes reachable from `roots`, each after every node that consumes its outputs. */
function topoOrder(roots: readonly Tensor[]): GradNode[] {
  const order: GradNode[] = [];
  const seen = new Set<GradNode>();
  const stack: [GradNode, number][] = [];
  for (const r of roots) {
    if (!r.gradFn || seen.has(r.gradFn)) continue;
    seen.add(r.gradFn);
    stack.push([r.gradFn, 0]);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [node, i] = top;
      if (i < node.inputs.length) {
        top[1]++;
        const next = node.inputs[i]!.gradFn;
        if (next && !seen.has(next)) {
          seen.add(next);
          stack.push([next, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order.reverse();
}

function checkGrad(g: Tensor, t: Tensor, where: string): void {
  if (!shapesEqual(g.shape, t.shape)) {
    throw new ShapeError(`${where}: gradient of shape ${fmtShape(g.shape)} for a tensor of shape ${fmtShape(t.shape)}`);
  }
}

/** Gradient functions may hand back a tensor they were given; give each result its own handle. */
function distinct(grads: (Tensor | null)[], given: readonly Tensor[]): (Tensor | null)[] {
  const taken = new Set(given);
  return grads.map((g) => {
    if (!g) return g;
    const own = taken.has(g) ? detachTensor(g) : g;
    taken.add(own);
    return own;
  });
}

/**
 * Gradients of `sum(roots[i] * seeds[i])` with respect to every tensor on the way that requires
 * grad (or only `wrt`). Intermediate gradients are freed as soon as they are consumed.
 */
export function gradients(
  roots: readonly Tensor[],
  seeds: readonly Tensor[],
  wrt?: readonly Tensor[],
  options: { retainGraph?: boolean; createGraph?: boolean } = {},
): Map<Tensor, Tensor> {
  const grads = new Map<Tensor, Tensor>();
  const wanted = wrt ? new Set(wrt) : null;
  const owned = new Set<Tensor>();
  const add = (t: Tensor, g: Tensor) => {
    checkGrad(g, t, 'backward');
    const prev = grads.get(t);
    if (!prev) {
      grads.set(t, g);
      return;
    }
    const sum = runOp('add', [prev, g], {})[0]!;
    if (owned.has(prev)) prev.dispose();
    if (owned.has(g)) g.dispose();
    grads.set(t, sum);
    owned.add(sum);
  };
  roots.forEach((r, i) => add(r, seeds[i]!));
  const nodes = topoOrder(roots);
  const mode = options.createGraph ? enableGrad : noGrad;
  for (const node of nodes) {
    if (node.freed) throw new GradError(`backward through '${node.name}' a second time: its graph was freed (pass {retainGraph: true} the first time)`);
    if (!node.outputs.some((o) => grads.has(o))) continue;
    const dys = node.outputs.map((o) => grads.get(o) ?? zerosFor(o));
    const inputGrads = distinct(mode(() => tidy(() => node.backward(dys))), [...dys, ...node.inputs, ...node.outputs]);
    node.outputs.forEach((o, i) => {
      const g = grads.get(o);
      if (!g) dys[i]!.dispose();
      else if (!wanted?.has(o)) {
        grads.delete(o);
        if (owned.has(g)) g.dispose();
      }
    });
    node.inputs.forEach((x, i) => {
      const g = inputGrads[i];
      if (g && x.requiresGrad) {
        owned.add(g);
        add(x, g);
      } else g?.dispose();
    });
    if (!options.retainGraph) node.freed = true;
  }
  if (wanted) {
    for (const [t, g] of grads) {
      if (wanted.has(t)) continue;
      if (owned.has(g)) g.dispose();
      grads.delete(t);
    }
  }
  return grads;
}

/** Implements `tensor.backward()`: accumulates into the `.grad` of every leaf requiring grad. */
export function backward(root: Tensor, seed?: Tensor, options: { retainGraph?: boolean } = {}): void {
  root.assertLive('backward');
  if (!root.requiresGrad) throw new GradError('backward: this tensor does not require grad (no input of it had requiresGrad set)');
  if (!seed && root.size !== 1) {
    throw new GradError(`backward: a gradient is needed for a non-scalar output of shape ${fmtShape(root.shape)}`);
  }
  const start = seed ?? fromValues(new Float32Array([1]), root.shape, 'float32');
  const grads = gradients([root], [start], undefined, options);
  for (const [t, g] of grads) {
    if (!t.isLeaf) continue;
    keep(g);
    if (t.grad) {
      const sum = keep(noGrad(() => runOp('add', [t.grad!, g], {})[0]!));
      t.grad.dispose();
      g.dispose();
      t.grad = sum;
    } else t.grad = g === start || g === seed ? keep(detachTensor(g)) : g;
  }
  if (!seed) start.dispose();
}

/**
 * `torch.autograd.grad`: gradients of `outputs` (seeded with ones, or `gradOutputs`) with respect
 * to `inputs`, without touching any `.grad`.
 */
export function grad(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  options: { gradOutputs?: readonly Tensor[]; retainGraph?: boolean; createGraph?: boolean } = {},
): (Tensor | null)[] {
  const outs = outputs instanceof Tensor ? [outputs] : outputs;
  const seeds = options.gradOutputs ?? outs.map((o) => fromValues(new Float32Array(o.size).fill(1), o.shape, 'float32'));
  const grads = gradients(outs, seeds, inputs, options);
  return inputs.map((x) => grads.get(x) ?? null);
}

/**
 * Vector-Jacobian product of `fn` at `inputs` against `dys`, recording even inside `noGrad`:
 * how ops without a gradient formula are differentiated from their decompositions.
 */
export function vjp(fn: (...xs: Tensor[]) => Tensor | Tensor[], inputs: readonly Tensor[], dys: readonly Tensor[]): (Tensor | null)[] {
  return enableGrad(() => {
    const xs = inputs.map((t) => {
      const d = detachTensor(t);
      if (t.dtype === 'float32') d.requiresGrad = true;
      return d;
    });
    const out = fn(...xs);
    const grads = gradients(Array.isArray(out) ? out : [out], dys, xs);
    return xs.map((x) => grads.get(x) ?? null);
  });
}

/** Sets `.grad` to null (disposing it) on each tensor. */
export function zeroGrad(tensors: Iterable<Tensor>): void {
  for (const t of tensors) {
    t.grad?.dispose();
    t.grad = null;
  }
}

/** What a custom function's forward can stash for its backward (`ctx` in PyTorch). */
export class FunctionContext {
  saved: Tensor[] = [];
  /** Non-tensor values the backward needs. */
  readonly values: Record<string, unknown> = {};
  saveForBackward(...tensors: Tensor[]): void {
    this.saved = tensors;
  }
}

export interface CustomFunction<In extends Tensor[]> {
  forward(ctx: FunctionContext, ...inputs: In): Tensor | Tensor[];
  backward(ctx: FunctionContext, ...dys: Tensor[]): Tensor | null | (Tensor | null)[];
}

/**
 * A differentiable function with a user-written forward and backward, like
 * `torch.autograd.Function`; call it with `.apply(...inputs)`.
 */
export function defineFunction<In extends Tensor[]>(name: string, fn: CustomFunction<In>) {
  return {
    apply(...inputs: In): Tensor | Tensor[] {
      const ctx = new FunctionContext();
      const raw = noGrad(() => fn.forward(ctx, ...inputs));
      const outputs = Array.isArray(raw) ? raw : [raw];
      if (isGradEnabled() && inputs.some((t) => t.requiresGrad)) {
        const node: GradNode = {
          name,
          inputs,
          outputs,
          freed: false,
          backward: (dys) => {
            const g = fn.backward(ctx, ...dys);
            return Array.isArray(g) ? g : [g];
          },
        };
        link(node);
      }
      return raw;
    },
  };
}
