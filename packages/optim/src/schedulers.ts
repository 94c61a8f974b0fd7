import { ValueError } from '@fovea/core';

/** What a schedule drives: any optimizer's parameter groups. */
export interface Schedulable {
  paramGroups: { lr: number }[];
}

export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
}

function positive(name: string, key: string, v: number, integer = false): number {
  if (!(v > 0) || !Number.isFinite(v) || (integer && !Number.isInteger(v))) throw new ValueError(`${name}: ${key} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  return v;
}

/**
 * A learning-rate schedule given in closed form: each group's lr is `lrAt(baseLr, epoch)`,
 * where `epoch` counts `step()` calls (call it once per epoch, or per iteration for warm-up).
 * Construction sets epoch 0, as PyTorch does.
 */
export abstract class LRScheduler {
  lastEpoch = 0;
  baseLrs: number[];

  constructor(readonly optimizer: Schedulable) {
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of a group whose initial rate is `baseLr`, after `epoch` steps. */
  abstract lrAt(baseLr: number, epoch: number): number;

  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** The rates last set, one per group. */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs] };
  }

  loadStateDict(saved: SchedulerStateDict): void {
    if (saved.baseLrs.length !== this.optimizer.paramGroups.length) {
      throw new ValueError(`${this.constructor.name}.loadStateDict: ${saved.baseLrs.length} saved rates for ${this.optimizer.paramGroups.length} groups`);
    }
    this.lastEpoch = saved.lastEpoch;
    this.baseLrs = [...saved.baseLrs];
    this.apply();
  }

  protected apply(): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = this.lrAt(this.baseLrs[i]!, this.lastEpoch)));
  }
}

/** lr·gamma^⌊epoch/stepSize⌋: the notes' step decay. */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Schedulable, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    this.stepSize = positive('StepLR', 'stepSize', options.stepSize, true);
    this.gamma = options.gamma ?? 0.1;
    this.apply();
  }

  lrAt(base: number, epoch: number): number {
    return base * this.gamma ** Math.floor(epoch / this.stepSize);
  }
}

/** lr·gamma^epoch: the notes' exponential decay α₀e^(−kt) with gamma = e^(−k). */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: Schedulable, options: { gamma: number }) {
    super(optimizer);
    this.gamma = positive('ExponentialLR', 'gamma', options.gamma);
    this.apply();
  }

  lrAt(base: number, epoch: number): number {
    return base * this.gamma ** epoch;
  }
}

/** lr/(1 + k·t), the notes' 1/t decay, with t = epoch/decaySteps (floored if `staircase`). */
export class InverseTimeDecay extends LRScheduler {
  readonly decayRate: number;
  readonly decaySteps: number;
  readonly staircase: boolean;

  constructor(optimizer: Schedulable, options: { decayRate: number; decaySteps?: number; staircase?: boolean }) {
    super(optimizer);
    this.decayRate = positive('InverseTimeDecay', 'decayRate', options.decayRate);
    this.decaySteps = positive('InverseTimeDecay', 'decaySteps', options.decaySteps ?? 1);
    this.staircase = options.staircase ?? false;
    this.apply();
  }

  lrAt(base: number, epoch: number): number {
    const t = epoch / this.decaySteps;
    return base / (1 + this.decayRate * (this.staircase ? Math.floor(t) : t));
  }
}

/** Half a cosine from lr down to etaMin over tMax steps (SGDR without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Schedulable, options: { tMax: number; etaMin?: number }) {
    super(optimizer);
    this.tMax = positive('CosineAnnealingLR', 'tMax', options.tMax, true);
    this.etaMin = options.etaMin ?? 0;
    this.apply();
  }

  lrAt(base: number, epoch: number): number {
    return this.etaMin + ((base - this.etaMin) * (1 + Math.cos((Math.PI * epoch) / this.tMax))) / 2;
  }
}

/**
 * Linear warm-up from startFactor·lr to lr over `warmupSteps` steps, then (optionally) another
 * schedule, which sees its epochs counted from the end of the warm-up.
 */
export class LinearWarmup extends LRScheduler {
  readonly warmupSteps: number;
  readonly startFactor: number;
  readonly after: LRScheduler | undefined;

  constructor(optimizer: Schedulable, options: { warmupSteps: number; startFactor?: number; after?: LRScheduler }) {
    super(optimizer);
    this.warmupSteps = positive('LinearWarmup', 'warmupSteps', options.warmupSteps, true);
    this.startFactor = options.startFactor ?? 1 / 3;
    if (!(this.startFactor >= 0 && this.startFactor <= 1)) throw new ValueError(`LinearWarmup: startFactor must be in [0, 1], got ${this.startFactor}`);
    this.after = options.after;
    if (this.after) this.baseLrs = [...this.after.baseLrs];
    this.apply();
  }

  lrAt(base: number, epoch: number): number {
    if (epoch < this.warmupSteps) return base * (this.startFactor + ((1 - this.startFactor) * epoch) / this.warmupSteps);
    return this.after ? this.after.lrAt(base, epoch - this.warmupSteps) : base;
  }
}
