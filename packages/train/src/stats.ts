import type { BatchResult } from './batch.js';
import type { ConfusionMatrix } from './confusion.js';
import { toMetric, type Metric, type MetricSpec } from './metrics.js';
import { Tensor, ValueError } from '@fovea/core';
import type { Batch, Loader, Logs } from './types.js';

/** Running loss (weighted by batch size) and metrics over the batches of one pass. */
export class PassStats {
  readonly metrics: Metric[];
  #lossSum = 0;
  #samples = 0;

  constructor(
    specs: readonly MetricSpec[],
    private readonly confusion?: ConfusionMatrix,
  ) {
    this.metrics = specs.map(toMetric);
    this.reset();
  }

  /** Whether batches must read their scores back to the host. */
  get needsScores(): boolean {
    return this.metrics.length > 0 || this.confusion !== undefined;
  }

  get samples(): number {
    return this.#samples;
  }

  /** Starts a new pass (Metric objects given by the caller are shared, so they restart too). */
  reset(): void {
    this.#lossSum = 0;
    this.#samples = 0;
    for (const m of this.metrics) m.reset();
  }

  add(batch: BatchResult): void {
    this.#lossSum += batch.loss * batch.size;
    this.#samples += batch.size;
    if (!batch.scores || !batch.labels) return;
    for (const m of this.metrics) m.update(batch.scores, batch.labels);
    this.confusion?.update(batch.scores, batch.labels);
  }

  /** `loss` (when a loss was computed) and each metric by name. */
  logs(): Logs {
    const out: Logs = {};
    const loss = this.#lossSum / this.#samples;
    if (!Number.isNaN(loss)) out.loss = loss;
    for (const m of this.metrics) out[m.name] = m.result();
    return out;
  }
}

/** Logs with camel-cased prefixed keys: `prefixed({loss}, 'val')` is `{valLoss}`. */
export function prefixed(logs: Logs, prefix: string): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k[0]!.toUpperCase() + k.slice(1), v]));
}

/**
 * Iterates a loader's (input, target) batches, skipping the first `skip`, and frees each batch's
 * tensors once the consumer moves on (or stops early).
 */
export async function* batchesOf(loader: Loader, skip = 0): AsyncGenerator<readonly [Tensor, Tensor]> {
  let index = 0;
  for await (const batch of loader) {
    try {
      const [x, y] = batch;
      if (!(x instanceof Tensor && y instanceof Tensor)) throw new ValueError(`a batch must hold an input and a target tensor, got ${describe(batch)}`);
      if (index++ >= skip) yield [x, y];
    } finally {
      for (const t of batch) if (t instanceof Tensor) t.dispose();
    }
  }
}

function describe(batch: Batch): string {
  return Array.isArray(batch) ? `${batch.length} item(s)` : typeof batch;
}
