import { ValueError } from '@fovea/core';
import type { Logs } from './types.js';

export type MonitorMode = 'min' | 'max' | 'auto';

/**
 * Tracks the best value of one logged quantity. 'auto' maximises accuracies ('accuracy',
 * 'valTop5') and minimises everything else.
 */
export class Monitor {
  readonly mode: 'min' | 'max';
  best: number;

  constructor(
    readonly key: string,
    mode: MonitorMode = 'auto',
    readonly minDelta = 0,
  ) {
    this.mode = mode === 'auto' ? (/acc|top\d/i.test(key) ? 'max' : 'min') : mode;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }

  /** The monitored value in `logs`; a ValueError names what is logged when it is missing. */
  read(logs: Logs, who: string): number {
    const value = logs[this.key];
    if (value === undefined) throw new ValueError(`${who}: '${this.key}' is not logged; logged: ${Object.keys(logs).join(', ')}`);
    return value;
  }

  /** Records `value` if it beats the best by more than minDelta; says whether it did. */
  improve(value: number): boolean {
    const better = this.mode === 'min' ? value < this.best - this.minDelta : value > this.best + this.minDelta;
    if (better) this.best = value;
    return better;
  }

  reset(): void {
    this.best = this.mode === 'min' ? Infinity : -Infinity;
  }
}
