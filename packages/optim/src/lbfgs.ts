import { enableGrad, noGrad, tensor, Tensor, tidy, ValueError } from '@fovea/core';
import { dot, strongWolfe } from './line-search.js';
import { BaseOptimizer, requireRange, type ParamsInput } from './optimizer.js';

export interface LBFGSOptions {
  lr: number;
  /** Iterations per `step()` call. */
  maxIter: number;
  /** Loss evaluations per `step()` call (default maxIter·5/4). */
  maxEval: number;
  /** Stop when every gradient element is at most this in magnitude. */
  toleranceGrad: number;
  /** Stop when the loss or the step changes less than this. */
  toleranceChange: number;
  /** Curvature pairs remembered. */
  historySize: number;
  /** 'strongWolfe' line search, or null for fixed steps of size lr. */
  lineSearch: 'strongWolfe' | null;
}

/** The L-BFGS memory, kept between `step()` calls (plain arrays, so it saves as JSON). */
interface Memory {
  nIter: number;
  /** Curvature pairs s = Δx and y = Δg, oldest first. */
  s: number[][];
  y: number[][];
  d: number[];
  t: number;
  prevGrad: number[];
  hDiag: number;
}

function maxAbs(v: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Algorithm 7.4/7.5) over all parameters as one vector,
 * for full-batch problems: `await opt.step(closure)`, where the closure zeroes the gradients,
 * computes the loss, calls `backward()` and returns the loss. The direction algebra runs in
 * float64 on the host, so `step` reads values asynchronously and works on every backend.
 * One parameter group, as in PyTorch.
 */
export class LBFGS extends BaseOptimizer<LBFGSOptions> {
  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = options.maxIter ?? 20;
    super(params, { lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearch: null, ...options });
    if (this.paramGroups.length !== 1) throw new ValueError('LBFGS supports a single parameter group');
  }

  protected validate(o: LBFGSOptions): void {
    requireRange('LBFGS', o, ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize']);
    if (o.lineSearch !== null && o.lineSearch !== 'strongWolfe') throw new ValueError(`LBFGS: lineSearch must be 'strongWolfe' or null, got ${JSON.stringify(o.lineSearch)}`);
  }

  get #params(): Tensor[] {
    return this.paramGroups[0]!.params;
  }

  /** Runs up to maxIter iterations; resolves to the loss at the starting point, as PyTorch returns. */
  async step(closure: () => Tensor | number): Promise<number> {
    const o = this.paramGroups[0]!;
    const mem = this.#memory();
    let x = await this.#read((p) => p);
    let { f, g } = await this.#evaluate(closure);
    const initialLoss = f;
    let evals = 1;
    if (maxAbs(g) <= o.toleranceGrad) return initialLoss;
    for (let iter = 1; iter <= o.maxIter; iter++) {
      mem.nIter++;
      const d = mem.nIter === 1 ? g.map((v) => -v) : this.#direction(mem, g, o.historySize);
      mem.prevGrad = [...g];
      const prevF = f;
      let t = mem.nIter === 1 ? Math.min(1, 1 / g.reduce((a, v) => a + Math.abs(v), 0)) * o.lr : o.lr;
      const gtd = dot(g, d);
      if (gtd > -o.toleranceChange) break;
      if (o.lineSearch) {
        const along = async (step: number) => {
          this.#write(x.map((v, i) => v + step * d[i]!));
          return this.#evaluate(closure);
        };
        const found = await strongWolfe(along, d, { t: 0, f, g, gtd }, t, { toleranceChange: o.toleranceChange });
        ({ t, f, g } = found);
        evals += found.evals;
      } else {
        evals++;
      }
      x = x.map((v, i) => v + t * d[i]!);
      this.#write(x);
      if (!o.lineSearch) ({ f, g } = await this.#evaluate(closure));
      mem.d = [...d];
      mem.t = t;
      if (iter === o.maxIter || evals >= o.maxEval || maxAbs(g) <= o.toleranceGrad) break;
      if (Math.abs(t) * maxAbs(d) <= o.toleranceChange || Math.abs(f - prevF) < o.toleranceChange) break;
    }
    return initialLoss;
  }

  /** Two-loop recursion: −H·g with H built from the stored curvature pairs. */
  #direction(mem: Memory, g: Float64Array, historySize: number): Float64Array {
    const y = g.map((v, i) => v - mem.prevGrad[i]!);
    const s = mem.d.map((v) => v * mem.t);
    const ys = dot(y, s);
    if (ys > 1e-10) {
      if (mem.s.length === historySize) {
        mem.s.shift();
        mem.y.shift();
      }
      mem.s.push(s);
      mem.y.push([...y]);
      mem.hDiag = ys / dot(y, y);
    }
    const q = g.map((v) => -v);
    const k = mem.s.length;
    const rho = mem.s.map((si, i) => 1 / dot(mem.y[i]!, si));
    const alpha = new Array<number>(k);
    for (let i = k - 1; i >= 0; i--) {
      alpha[i] = rho[i]! * dot(mem.s[i]!, q);
      mem.y[i]!.forEach((v, j) => (q[j] = q[j]! - alpha[i]! * v));
    }
    const r = q.map((v) => v * mem.hDiag);
    for (let i = 0; i < k; i++) {
      const beta = rho[i]! * dot(mem.y[i]!, r);
      mem.s[i]!.forEach((v, j) => (r[j] = r[j]! + (alpha[i]! - beta) * v));
    }
    return r;
  }

  #memory(): Memory {
    const key = this.#params[0]!;
    let s = this.state.get(key);
    if (!s) this.state.set(key, (s = { nIter: 0, s: [], y: [], d: [], t: 0, prevGrad: [], hDiag: 1 } satisfies Memory));
    return s as unknown as Memory;
  }

  /** Runs the closure with gradients on; returns the loss and the flattened gradient. */
  async #evaluate(closure: () => Tensor | number): Promise<{ f: number; g: Float64Array }> {
    const loss = tidy(() => enableGrad(closure));
    let f: number;
    if (loss instanceof Tensor) {
      f = (await loss.data())[0]!;
      loss.dispose();
    } else f = loss;
    return { f, g: await this.#read((p) => p.grad) };
  }

  /** Concatenates one tensor per parameter (the parameter or its gradient, zeros if null). */
  async #read(pick: (p: Tensor) => Tensor | null): Promise<Float64Array> {
    const parts = await Promise.all(this.#params.map(async (p) => pick(p)?.data() ?? new Float32Array(p.size)));
    const out = new Float64Array(parts.reduce((n, a) => n + a.length, 0));
    let offset = 0;
    for (const a of parts) {
      out.set(a, offset);
      offset += a.length;
    }
    return out;
  }

  #write(x: Float64Array): void {
    let offset = 0;
    noGrad(() =>
      tidy(() => {
        for (const p of this.#params) {
          p.assign(tensor(Float32Array.from(x.subarray(offset, offset + p.size)), p.shape));
          offset += p.size;
        }
      }),
    );
  }
}
