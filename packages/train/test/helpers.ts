import '@fovea/backend-js';
import { Generator, indexSelect, keep, mul, randn, ready, sub, tensor, tidy, type Tensor } from '@fovea/core';
import { Linear, ReLU, Sequential, Dropout } from '@fovea/nn';
import type { Batch, Loader, Optimizer } from '../src/index.js';

await ready();

/** Three Gaussian blobs in 4-d, labels 0..2, from a fixed seed. */
export function blobs(n: number, seed = 1): { x: Tensor; y: Tensor } {
  const g = new Generator(seed);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    ys.push(label);
    for (let d = 0; d < 4; d++) xs.push(g.normal() * 0.7 + (d === label ? 2 : 0));
  }
  return { x: tensor(xs, [n, 4]), y: tensor(ys, [n], { dtype: 'int32' }) };
}

/** A small MLP with dropout, so resuming must restore the global generator too. */
export function mlp(): Sequential {
  return new Sequential(new Linear(4, 16), new ReLU(), new Dropout(0.2), new Linear(16, 3));
}

/** A shuffling loader with its own generator; its state is the generator's state at epoch start. */
export class ShuffledLoader implements Loader {
  readonly generator: Generator;
  constructor(
    readonly x: Tensor,
    readonly y: Tensor,
    readonly batchSize: number,
    seed = 7,
  ) {
    this.generator = new Generator(seed);
  }
  get length(): number {
    return Math.ceil(this.x.shape[0]! / this.batchSize);
  }
  state(): number[] {
    return this.generator.getState();
  }
  loadState(state: number[]): void {
    this.generator.setState(state);
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<Batch> {
    const n = this.x.shape[0]!;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = this.generator.integer(0, i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let at = 0; at < n; at += this.batchSize) {
      yield tidy(() => {
        const index = tensor(order.slice(at, at + this.batchSize), undefined, { dtype: 'int32' });
        return [indexSelect(this.x, 0, index), indexSelect(this.y, 0, index)] as const;
      });
    }
  }
}

/** SGD with momentum and a step counter: enough state that a resume must restore it. */
export class MomentumSGD implements Optimizer {
  velocity: (Tensor | null)[];
  steps = 0;
  constructor(
    readonly params: Tensor[],
    readonly lr = 0.1,
    readonly momentum = 0.9,
  ) {
    this.velocity = params.map(() => null);
  }
  get paramGroups() {
    return [{ lr: this.lr }];
  }
  zeroGrad(): void {
    for (const p of this.params) {
      p.grad?.dispose();
      p.grad = null;
    }
  }
  step(): void {
    this.steps++;
    this.params.forEach((p, i) => {
      if (!p.grad) return;
      const old = this.velocity[i];
      const v = keep(old ? tidy(() => sub(mul(old, this.momentum), mul(p.grad!, -1))) : mul(p.grad, 1));
      old?.dispose();
      this.velocity[i] = v;
      p.assign(tidy(() => sub(p, mul(v, this.lr))));
    });
  }
  stateDict() {
    return { steps: this.steps, velocity: this.velocity };
  }
  loadStateDict(state: { steps: number; velocity: (Tensor | null)[] }): void {
    this.steps = state.steps;
    this.velocity.forEach((v) => v?.dispose());
    this.velocity = state.velocity.map((v) => (v ? keep(mul(v, 1)) : null));
  }
}

export { randn };
