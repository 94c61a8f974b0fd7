import type { Cell, Results } from './table.js';
import type { Row } from './workloads.js';

/** Timing: a warm-up, then repeated runs until enough samples or the time budget is spent. */
export interface Timing {
  medianMs: number;
  runs: number;
  samplesMs: number[];
}

export interface TimingOptions {
  warmup: number;
  minRuns: number;
  maxRuns: number;
  /** Stop adding runs (beyond minRuns) once this much time went into measuring. */
  budgetMs: number;
  /**
   * Keep warming up (past `warmup` runs) until this much time went into it. A GPU idle a moment
   * ago runs slower at first: on an H200, GEMM 4096³ steps took 21 ms for ~150 ms after an
   * upload, then 4.3 ms, and one whole row's steps ran at twice the time of the next process's.
   */
  warmupMs?: number;
}

export const DEFAULT_TIMING: TimingOptions = { warmup: 2, minRuns: 3, maxRuns: 15, budgetMs: 4000 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Runs `step` `runs` times, and more until `ms` went into it. */
export async function warmUp(step: () => Promise<void>, runs: number, ms: number): Promise<void> {
  const start = performance.now();
  for (let i = 0; i < runs || performance.now() - start < ms; i++) await step();
}

export async function measure(step: () => Promise<void>, options: TimingOptions = DEFAULT_TIMING): Promise<Timing> {
  let t0 = performance.now();
  await step();
  const first = performance.now() - t0;
  // A step slower than five budgets is reported from that one (cold) run: the table must finish.
  if (first > 5 * options.budgetMs) return { medianMs: first, runs: 1, samplesMs: [first] };
  // Slow steps (seconds each) get one warm-up run only, and two timed runs.
  const slow = first > options.budgetMs / 4;
  const minRuns = slow ? 2 : options.minRuns;
  if (!slow) await warmUp(step, options.warmup - 1, options.warmupMs ?? 0);
  const samplesMs: number[] = [];
  const start = performance.now();
  while (samplesMs.length < options.maxRuns && (samplesMs.length < minRuns || performance.now() - start < options.budgetMs)) {
    t0 = performance.now();
    await step();
    samplesMs.push(performance.now() - t0);
  }
  return { medianMs: median(samplesMs), runs: samplesMs.length, samplesMs };
}

/**
 * Every workload of one row: prepare, record the output when `outputs` is given (for checks
 * across rows), time, dispose; a workload that cannot run or fails leaves its reason in the cell.
 */
export async function runRow<W extends string | { id: string }>(
  row: Row<W>,
  workloads: readonly W[],
  options: { timing?: TimingOptions; outputs?: Map<string, Float32Array> } = {},
): Promise<Results['rows'][number]> {
  const cells: Record<string, Cell> = {};
  for (const w of workloads) {
    const id = typeof w === 'string' ? w : w.id;
    process.stdout.write(`  ${row.name} / ${id} … `);
    try {
      const prepared = await row.prepare(w);
      if ('skip' in prepared) {
        cells[id] = { skip: prepared.skip };
        console.log(`n/a: ${prepared.skip}`);
        continue;
      }
      let t: Timing;
      try {
        if (options.outputs && 'output' in prepared && prepared.output) options.outputs.set(id, await prepared.output());
        t = 'measured' in prepared ? prepared.measured : await measure(prepared.run, options.timing);
      } finally {
        if ('dispose' in prepared) prepared.dispose?.();
      }
      cells[id] = { medianMs: t.medianMs, runs: t.runs, samplesMs: t.samplesMs } as Cell;
      console.log(`${t.medianMs.toFixed(2)} ms (median of ${t.runs})`);
    } catch (err) {
      cells[id] = { skip: `failed: ${(err as Error).message.split('\n')[0]}` };
      console.log(`failed: ${(err as Error).message}`);
    }
  }
  return { name: row.name, threads: row.threads, cells };
}
