import { ValueError } from '@fovea/core';
import type { Schedulable } from './schedulers.js';

export interface ReduceLROnPlateauOptions {
  /** Whether the watched metric should go down ('min', a loss) or up ('max', an accuracy). */
  mode?: 'min' | 'max';
  /** Multiplier applied to the rates on a plateau (default 0.1). */
  factor?: number;
  /** Steps without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** Smallest change that counts as an improvement (default 1e-4), relative or absolute. */
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  /** Steps to wait after a reduction before counting again (default 0). */
  cooldown?: number;
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

export interface PlateauStateDict {
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
}

/** Divides the learning rates by 1/factor when a validation metric stops improving. */
export class ReduceLROnPlateau {
  readonly mode: 'min' | 'max';
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: 'rel' | 'abs';
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** Best metric so far (null before the first step). */
  best: number | null = null;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;

  constructor(
    readonly optimizer: Schedulable,
    options: ReduceLROnPlateauOptions = {},
  ) {
    this.mode = options.mode ?? 'min';
    this.factor = options.factor ?? 0.1;
    this.patience = options.patience ?? 10;
    this.threshold = options.threshold ?? 1e-4;
    this.thresholdMode = options.thresholdMode ?? 'rel';
    this.cooldown = options.cooldown ?? 0;
    this.eps = options.eps ?? 1e-8;
    const groups = optimizer.paramGroups.length;
    const minLr = options.minLr ?? 0;
    this.minLrs = Array.isArray(minLr) ? [...minLr] : new Array(groups).fill(minLr);
    if (!(this.factor > 0 && this.factor < 1)) throw new ValueError(`ReduceLROnPlateau: factor must be in (0, 1), got ${this.factor}`);
    if (this.mode !== 'min' && this.mode !== 'max') throw new ValueError(`ReduceLROnPlateau: mode must be 'min' or 'max', got ${JSON.stringify(this.mode)}`);
    if (this.minLrs.length !== groups) throw new ValueError(`ReduceLROnPlateau: ${this.minLrs.length} minLr values for ${groups} groups`);
  }

  /** Records this epoch's metric; reduces the rates after more than `patience` epochs without progress. */
  step(metric: number): void {
    if (!Number.isFinite(metric)) throw new ValueError(`ReduceLROnPlateau: the metric must be a finite number, got ${metric}`);
    this.lastEpoch++;
    if (this.#improves(metric)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else this.numBadEpochs++;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      this.#reduce();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
  }

  #improves(metric: number): boolean {
    const best = this.best;
    if (best === null) return true;
    const sign = this.mode === 'min' ? -1 : 1;
    const margin = this.thresholdMode === 'rel' ? Math.abs(best) * this.threshold : this.threshold;
    return sign * (metric - best) > margin;
  }

  #reduce(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const lr = Math.max(g.lr * this.factor, this.minLrs[i]!);
      if (g.lr - lr > this.eps) g.lr = lr;
    });
  }

  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): PlateauStateDict {
    return { best: this.best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch };
  }

  loadStateDict(saved: PlateauStateDict): void {
    Object.assign(this, { best: saved.best, numBadEpochs: saved.numBadEpochs, cooldownCounter: saved.cooldownCounter, lastEpoch: saved.lastEpoch });
  }
}
