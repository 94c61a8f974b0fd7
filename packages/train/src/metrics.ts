import { ValueError } from '@fovea/core';

/**
 * A classification metric accumulated over batches on the host, from each batch's scores
 * (row-major [batch, classes]) and integer labels.
 */
export interface Metric {
  readonly name: string;
  reset(): void;
  update(scores: ArrayLike<number>, labels: ArrayLike<number>): void;
  result(): number;
}

/** Fraction of samples whose label is among the `k` highest scores (ties count as hits). */
export class TopKAccuracy implements Metric {
  #hits = 0;
  #count = 0;

  constructor(
    readonly k: number,
    readonly name = k === 1 ? 'accuracy' : `top${k}`,
  ) {
    if (!Number.isInteger(k) || k < 1) throw new ValueError(`TopKAccuracy: k must be a positive integer, got ${k}`);
  }

  reset(): void {
    this.#hits = 0;
    this.#count = 0;
  }

  update(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
    const classes = classCount(scores, labels);
    for (let i = 0; i < labels.length; i++) {
      const row = i * classes;
      const target = scores[row + labels[i]!]!;
      let above = 0;
      for (let c = 0; c < classes; c++) if (scores[row + c]! > target) above++;
      if (above < this.k) this.#hits++;
    }
    this.#count += labels.length;
  }

  result(): number {
    return this.#count ? this.#hits / this.#count : NaN;
  }
}

/** A metric by name: 'accuracy' or 'topK' (e.g. 'top5'); metric objects pass through. */
export type MetricSpec = string | Metric;

export function toMetric(spec: MetricSpec): Metric {
  if (typeof spec !== 'string') return spec;
  if (spec === 'accuracy') return new TopKAccuracy(1);
  const k = /^top(\d+)$/.exec(spec)?.[1];
  if (k) return new TopKAccuracy(Number(k));
  throw new ValueError(`unknown metric '${spec}'; use 'accuracy', 'top5' (any topK) or a Metric object`);
}

/** Classes per row, checking scores and labels agree. */
export function classCount(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const classes = labels.length ? scores.length / labels.length : 0;
  if (!Number.isInteger(classes)) throw new ValueError(`metric: ${scores.length} scores do not split into ${labels.length} rows`);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new ValueError(`metric: label ${y} is outside [0, ${classes})`);
  }
  return classes;
}
