import { add, DTypeError, keep, mul, noGrad, sub, Tensor, tidy, ValueError } from '@fovea/core';

export interface EMAOptions {
  /**
   * Weight of the old average at each update (default 0.999), or 'average' for Polyak–Juditsky
   * averaging: the plain mean of every iterate passed to `update()`.
   */
  decay?: number | 'average';
}

export interface EMAStateDict {
  decay: number | 'average';
  numUpdates: number;
  averages: Tensor[];
}

/**
 * Averages of parameters over training (the notes' Polyak averaging, or an exponential moving
 * average), kept beside the live parameters. Evaluate with the averages by `swap()`ping them in,
 * and swap back to continue training.
 */
export class EMA {
  readonly params: Tensor[];
  readonly averages: Tensor[];
  readonly decay: number | 'average';
  numUpdates = 0;

  constructor(params: Iterable<Tensor>, options: EMAOptions = {}) {
    this.params = [...params];
    for (const p of this.params) if (p.dtype !== 'float32') throw new DTypeError(`EMA averages float32 tensors, got ${p.dtype} [${p.shape}]`);
    this.decay = options.decay ?? 0.999;
    if (this.decay !== 'average' && !(this.decay >= 0 && this.decay <= 1)) throw new ValueError(`EMA: decay must be in [0, 1] or 'average', got ${this.decay}`);
    this.averages = this.params.map((p) => keep(p.detach()));
  }

  /** Folds the current parameter values into the averages (the first update copies them). */
  update(): void {
    const n = this.numUpdates++;
    const weight = n === 0 ? 0 : this.decay === 'average' ? n / (n + 1) : this.decay;
    noGrad(() =>
      tidy(() => {
        this.params.forEach((p, i) => {
          const avg = this.averages[i]!;
          avg.assign(add(avg, mul(sub(p, avg), 1 - weight)));
        });
      }),
    );
  }

  /** Exchanges the live parameters and the averages (call again to swap back). */
  swap(): void {
    this.params.forEach((p, i) => {
      const avg = this.averages[i]!;
      const live = p.detach();
      p.assign(avg);
      avg.assign(live);
      live.dispose();
    });
  }

  /** Overwrites the live parameters with the averages. */
  copyTo(): void {
    this.params.forEach((p, i) => p.assign(this.averages[i]!));
  }

  stateDict(): EMAStateDict {
    return { decay: this.decay, numUpdates: this.numUpdates, averages: [...this.averages] };
  }

  loadStateDict(saved: EMAStateDict): void {
    if (saved.averages.length !== this.averages.length || saved.averages.some((a, i) => a.shape.join() !== this.averages[i]!.shape.join())) {
      throw new ValueError(`EMA.loadStateDict: saved averages [${saved.averages.map((a) => `[${a.shape}]`)}] do not fit [${this.averages.map((a) => `[${a.shape}]`)}]`);
    }
    saved.averages.forEach((a, i) => this.averages[i]!.assign(a));
    this.numUpdates = saved.numUpdates;
  }

  dispose(): void {
    for (const a of this.averages) a.dispose();
  }
}
