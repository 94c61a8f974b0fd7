import type { Logs } from './types.js';

/**
 * What `fit` returns: one record per epoch with `epoch` (1-based), `loss`, the metrics, their
 * `val`-prefixed validation counterparts, `lr` and `time` (seconds).
 */
export class History {
  readonly records: Logs[];

  constructor(records: readonly Logs[] = []) {
    this.records = [...records];
  }

  /** One logged value across epochs, e.g. `series('valAccuracy')` (NaN where it was not logged). */
  series(key: string): number[] {
    return this.records.map((r) => r[key] ?? NaN);
  }

  /** The last epoch's record. */
  get last(): Logs | undefined {
    return this.records[this.records.length - 1];
  }
}
