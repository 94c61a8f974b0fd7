import { ValueError } from '@fovea/core';
import { trainBatch } from './batch.js';
import type { BatchLogs, Callback, FitState } from './callback.js';
import { Checkpoint, saveCheckpoint } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { History } from './history.js';
import type { MetricSpec } from './metrics.js';
import { ProgressBar, type ProgressOptions } from './progress.js';
import type { Json } from './state-tree.js';
import { batchesOf, PassStats, prefixed } from './stats.js';
import type { Loader, Logs, Loss, Optimizer, Scheduler, TrainableModel } from './types.js';

export interface FitOptions {
  optimizer: Optimizer;
  loss: Loss;
  epochs: number;
  /** Training metrics ('accuracy', 'top5', Metric objects), also computed on `validation`. */
  metrics?: readonly MetricSpec[];
  /** Evaluated after every epoch; its results are logged as `valLoss`, `valAccuracy`, … */
  validation?: Loader;
  /** Stepped after every epoch (after validation). */
  scheduler?: Scheduler;
  /** A logged value passed to `scheduler.step(value)` (ReduceLROnPlateau wants `valLoss`). */
  schedulerMonitor?: string;
  callbacks?: readonly Callback[];
  /** Draw a progress bar (default true: on stdout); `false` for none. */
  progress?: boolean | ProgressOptions;
  /** Continue from a checkpoint saved by `FitState.checkpoint` / `ModelCheckpoint`. */
  resume?: string | Checkpoint;
  /** JSON stored in every checkpoint made during this run (e.g. the model's configuration). */
  extra?: Json;
}

/**
 * Trains `model` on `loader` for `options.epochs` epochs and returns the per-epoch history.
 * Each step runs inside `tidy`, so memory stays flat; batches are freed after use. With a data
 * loader that keeps its own seeded generator, a run resumed from a checkpoint reproduces the
 * uninterrupted run's losses exactly.
 */
export async function fit(model: TrainableModel, loader: Loader, options: FitOptions): Promise<History> {
  if (!Number.isInteger(options.epochs) || options.epochs < 0) throw new ValueError(`fit: epochs must be a non-negative integer, got ${options.epochs}`);
  const run = new FitRun(model, loader, options);
  await run.resume();
  return run.run();
}

class FitRun implements FitState {
  epoch = 0;
  step = 0;
  stopTraining = false;
  history = new History();
  readonly #stats: PassStats;
  readonly #callbacks: Callback[];
  /** The loader's state when the current epoch began: what a checkpoint must restore. */
  #loaderState: unknown;

  constructor(
    readonly model: TrainableModel,
    private readonly loader: Loader,
    private readonly options: FitOptions,
  ) {
    this.#stats = new PassStats(options.metrics ?? []);
    const progress = options.progress ?? true;
    this.#callbacks = [...(progress ? [new ProgressBar(progress === true ? {} : progress)] : []), ...(options.callbacks ?? [])];
  }

  get optimizer(): Optimizer {
    return this.options.optimizer;
  }
  get scheduler(): Scheduler | undefined {
    return this.options.scheduler;
  }
  get epochs(): number {
    return this.options.epochs;
  }
  get stepsPerEpoch(): number | undefined {
    return this.loader.length;
  }

  async checkpoint(path: string): Promise<void> {
    await saveCheckpoint(path, {
      model: this.model,
      optimizer: this.optimizer,
      scheduler: this.scheduler,
      loader: { state: () => this.#loaderState },
      epoch: this.epoch,
      step: this.step,
      history: this.history.records,
      extra: this.options.extra,
    });
  }

  /** Restores everything from `options.resume` and moves to its position. */
  async resume(): Promise<void> {
    const from = this.options.resume;
    if (from === undefined) return;
    const checkpoint = typeof from === 'string' ? await Checkpoint.read(from) : from;
    try {
      const loader = this.loader.loadState && checkpoint.has('loader') ? (this.loader as Required<Loader>) : undefined;
      checkpoint.restore({ model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, loader });
    } finally {
      if (typeof from === 'string') checkpoint.dispose();
    }
    this.epoch = checkpoint.epoch;
    this.step = checkpoint.step;
    this.history = new History(checkpoint.history);
  }

  async run(): Promise<History> {
    this.#loaderState = this.loader.state?.();
    await this.#emit('onTrainBegin');
    while (this.epoch < this.epochs && !this.stopTraining) await this.#runEpoch();
    await this.#emit('onTrainEnd');
    return this.history;
  }

  async #runEpoch(): Promise<void> {
    const start = performance.now();
    this.model.train(true);
    this.#stats.reset();
    await this.#emit('onEpochBegin');
    for await (const [x, y] of batchesOf(this.loader, this.step)) {
      const batch = await trainBatch(this.model, this.optimizer, this.options.loss, x, y, this.#stats.needsScores);
      this.#stats.add(batch);
      this.step++;
      await this.#emit('onBatchEnd', { size: batch.size, loss: batch.loss, running: this.#stats.logs() });
      if (this.stopTraining) return;
    }
    const logs = await this.#epochLogs();
    this.epoch++;
    this.step = 0;
    this.#loaderState = this.loader.state?.();
    logs.time = (performance.now() - start) / 1000;
    this.history.records.push(logs);
    await this.#emit('onEpochEnd', logs);
  }

  /** Training means, validation results and the learning rate; steps the scheduler. */
  async #epochLogs(): Promise<Logs> {
    const logs: Logs = { epoch: this.epoch + 1, ...this.#stats.logs() };
    const { validation, metrics, loss, schedulerMonitor } = this.options;
    if (validation) Object.assign(logs, prefixed(await evaluate(this.model, validation, { metrics: metrics ?? [], loss }), 'val'));
    const lr = (this.optimizer as { paramGroups?: { lr?: number }[] }).paramGroups?.[0]?.lr;
    if (typeof lr === 'number') logs.lr = lr;
    if (schedulerMonitor !== undefined && logs[schedulerMonitor] === undefined) {
      throw new ValueError(`fit: schedulerMonitor '${schedulerMonitor}' is not logged; logged: ${Object.keys(logs).join(', ')}`);
    }
    this.scheduler?.step(schedulerMonitor === undefined ? undefined : logs[schedulerMonitor]);
    return logs;
  }

  async #emit(hook: keyof Callback, arg?: BatchLogs | Logs): Promise<void> {
    for (const callback of this.#callbacks) await (callback[hook] as Hook | undefined)?.call(callback, this, arg);
  }
}

type Hook = (state: FitState, arg?: BatchLogs | Logs) => unknown;
