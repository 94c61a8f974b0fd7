import { ValueError } from '@fovea/core';
import type { Callback, FitState } from './callback.js';
import { Monitor, type MonitorMode } from './monitor.js';
import type { Logs } from './types.js';

export interface ModelCheckpointOptions {
  /** Also save every this many batches (mid-epoch checkpoints resume mid-epoch). */
  everySteps?: number;
  /** Save at the end of an epoch only when this logged value improved. */
  monitor?: string;
  mode?: MonitorMode;
}

/**
 * Saves a resumable checkpoint (see `saveCheckpoint`) at the end of every epoch, or only on
 * improvement of `monitor`, and optionally every `everySteps` batches. `{epoch}` in the path is
 * replaced by the number of completed epochs.
 */
export class ModelCheckpoint implements Callback {
  readonly #monitor: Monitor | undefined;
  readonly #everySteps: number | undefined;
  /** Where the last checkpoint went. */
  lastPath: string | undefined;

  constructor(
    readonly path: string,
    options: ModelCheckpointOptions = {},
  ) {
    const every = options.everySteps;
    if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new ValueError(`ModelCheckpoint: everySteps must be a positive integer, got ${every}`);
    this.#everySteps = every;
    this.#monitor = options.monitor === undefined ? undefined : new Monitor(options.monitor, options.mode);
  }

  onTrainBegin(): void {
    this.#monitor?.reset();
  }

  async onBatchEnd(state: FitState): Promise<void> {
    if (this.#everySteps && state.step % this.#everySteps === 0) await this.#save(state);
  }

  async onEpochEnd(state: FitState, logs: Logs): Promise<void> {
    if (!this.#monitor || this.#monitor.improve(this.#monitor.read(logs, 'ModelCheckpoint'))) await this.#save(state);
  }

  async #save(state: FitState): Promise<void> {
    this.lastPath = this.path.replaceAll('{epoch}', String(state.epoch));
    await state.checkpoint(this.lastPath);
  }
}
