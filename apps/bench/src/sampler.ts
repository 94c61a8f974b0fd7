/** One row's samples of one workload, under the harness's timing rules. */
export interface Timing {
  medianMs: number;
  runs: number;
  samplesMs: number[];
}

export interface TimingOptions {
  warmup: number;
  minRuns: number;
  maxRuns: number;
  /** Stop adding runs (beyond minRuns) once this much of the row's own time went into its samples. */
  budgetMs: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmup: 2, minRuns: 3, maxRuns: 15, budgetMs: 4000 };

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * Times one step a sample at a time, so that the harness can take the samples of several rows
 * in turn. The budget counts this step's samples only, not the other rows' between them.
 */
export class Sampler {
  #samplesMs: number[] = [];
  #spentMs = 0;
  #minRuns: number;
  /** The cold run's time when it alone is the result (a step over five budgets). */
  #onlyRun: number | null = null;

  constructor(
    private readonly step: () => Promise<void>,
    private readonly options: TimingOptions,
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.#minRuns = options.minRuns;
  }

  /** The cold run, then the warm-up runs its time calls for. */
  async warmUp(): Promise<void> {
    const first = await this.#time();
    // A step slower than five budgets is reported from that one (cold) run: the table must finish.
    if (first > 5 * this.options.budgetMs) {
      this.#onlyRun = first;
      return;
    }
    // Slow steps (seconds each) get one warm-up run only, and two timed runs.
    const slow = first > this.options.budgetMs / 4;
    if (slow) this.#minRuns = 2;
    for (let i = slow ? 0 : this.options.warmup - 1; i > 0; i--) await this.step();
  }

  get done(): boolean {
    const n = this.#samplesMs.length;
    return this.#onlyRun !== null || n >= this.options.maxRuns || (n >= this.#minRuns && this.#spentMs >= this.options.budgetMs);
  }

  async sample(): Promise<void> {
    const ms = await this.#time();
    this.#samplesMs.push(ms);
    this.#spentMs += ms;
  }

  get timing(): Timing {
    const samplesMs = this.#onlyRun !== null ? [this.#onlyRun] : this.#samplesMs;
    return { medianMs: median(samplesMs), runs: samplesMs.length, samplesMs };
  }

  async #time(): Promise<number> {
    const t0 = this.clock();
    await this.step();
    return this.clock() - t0;
  }
}
