import { ValueError } from '@fovea/core';
import { classCount } from './metrics.js';

/** Counts of (true class, predicted class) pairs; rows are true classes. */
export class ConfusionMatrix {
  readonly counts: number[][];

  constructor(
    readonly numClasses: number,
    readonly labels: readonly string[] = Array.from({ length: numClasses }, (_, i) => String(i)),
  ) {
    if (!Number.isInteger(numClasses) || numClasses < 1) throw new ValueError(`ConfusionMatrix: numClasses must be a positive integer, got ${numClasses}`);
    if (labels.length !== numClasses) throw new ValueError(`ConfusionMatrix: ${labels.length} labels for ${numClasses} classes`);
    this.counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  }

  reset(): void {
    for (const row of this.counts) row.fill(0);
  }

  /** Adds a batch: scores row-major [batch, numClasses], predicted class = first highest score. */
  update(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
    const classes = classCount(scores, labels);
    if (classes !== this.numClasses) throw new ValueError(`ConfusionMatrix: expected ${this.numClasses} scores per sample, got ${classes}`);
    for (let i = 0; i < labels.length; i++) this.counts[labels[i]!]![argmaxRow(scores, i * classes, classes)]!++;
  }

  /** Fraction on the diagonal. */
  accuracy(): number {
    const total = this.counts.flat().reduce((a, b) => a + b, 0);
    return total ? this.counts.reduce((a, row, i) => a + row[i]!, 0) / total : NaN;
  }

  /** Recall per true class (diagonal over row sum). */
  recall(): number[] {
    return this.counts.map((row, i) => row[i]! / Math.max(1, row.reduce((a, b) => a + b, 0)));
  }

  /** A fixed-width table: true classes down, predicted across, recall at the end of each row. */
  format(): string {
    const width = Math.max(4, ...this.labels.map((l) => l.length), ...this.counts.flat().map((n) => String(n).length));
    const cell = (s: string) => s.padStart(width);
    const head = `${cell('')} │${this.labels.map(cell).join(' ')} │ recall`;
    const recall = this.recall();
    const rows = this.counts.map((row, i) => `${cell(this.labels[i]!)} │${row.map((n) => cell(String(n))).join(' ')} │ ${(recall[i]! * 100).toFixed(1)}%`);
    const rule = '─'.repeat(width + 1) + '┼' + '─'.repeat((width + 1) * this.numClasses) + '┼───────';
    return ['true ↓  predicted →', head, rule, ...rows].join('\n');
  }
}

function argmaxRow(scores: ArrayLike<number>, start: number, n: number): number {
  let best = 0;
  for (let c = 1; c < n; c++) if (scores[start + c]! > scores[start + best]!) best = c;
  return best;
}
