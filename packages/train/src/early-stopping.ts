import { ValueError, type Tensor } from '@fovea/core';
import type { Callback, FitState } from './callback.js';
import { Monitor, type MonitorMode } from './monitor.js';
import type { Logs } from './types.js';

export interface EarlyStoppingOptions {
  /** Logged value to watch (default 'valLoss'). */
  monitor?: string;
  mode?: MonitorMode;
  /** Smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs in a row without improvement that stop training (default 0: the first such epoch). */
  patience?: number;
  /** When stopping, put back the weights of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/** Stops `fit` when the monitored value has not improved for `patience` epochs. */
export class EarlyStopping implements Callback {
  readonly #monitor: Monitor;
  readonly #patience: number;
  readonly #restore: boolean;
  #wait = 0;
  #bestState: Map<string, Tensor> | undefined;
  /** The 1-based epoch after which training stopped, or 0. */
  stoppedEpoch = 0;

  constructor(options: EarlyStoppingOptions = {}) {
    this.#patience = options.patience ?? 0;
    if (!Number.isInteger(this.#patience) || this.#patience < 0) throw new ValueError(`EarlyStopping: patience must be a non-negative integer, got ${this.#patience}`);
    this.#monitor = new Monitor(options.monitor ?? 'valLoss', options.mode, options.minDelta);
    this.#restore = options.restoreBestWeights ?? false;
  }

  onTrainBegin(): void {
    this.#monitor.reset();
    this.#wait = 0;
    this.stoppedEpoch = 0;
  }

  onEpochEnd(state: FitState, logs: Logs): void {
    if (this.#monitor.improve(this.#monitor.read(logs, 'EarlyStopping'))) {
      this.#wait = 0;
      if (this.#restore) this.#keep(snapshot(state));
    } else if (++this.#wait >= this.#patience) {
      state.stopTraining = true;
      this.stoppedEpoch = logs.epoch ?? state.epoch;
    }
  }

  onTrainEnd(state: FitState): void {
    if (this.#bestState && this.stoppedEpoch) state.model.loadStateDict(this.#bestState);
    this.#keep(undefined);
  }

  #keep(best: Map<string, Tensor> | undefined): void {
    for (const t of this.#bestState?.values() ?? []) t.dispose();
    this.#bestState = best;
  }
}

/**
 * The model's state as it is now. Tensor storage is never written in place (updates rebind a
 * tensor to new storage), so detached handles keep these values.
 */
function snapshot(state: FitState): Map<string, Tensor> {
  return new Map([...state.model.stateDict()].map(([k, t]) => [k, t.detach()]));
}
