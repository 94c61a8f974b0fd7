/**
 * Runs rows × workloads. Per workload, every row's step is prepared, warmed up row by row, then
 * timed in turn (one sample of each row, round after round) until each row has its samples or
 * its budget: the machine's speed drifts over minutes, and interleaving keeps that drift out of
 * the ratios between rows. Rows timed by a subprocess (`measured`) are taken as they come.
 */
import { Sampler, DEFAULT_TIMING, type Timing, type TimingOptions } from './sampler.js';
import type { Cell, Results } from './table.js';
import type { Prepared, Row } from './workloads.js';

export { DEFAULT_TIMING, type Timing, type TimingOptions } from './sampler.js';

export interface HarnessOptions {
  timing?: TimingOptions;
  /** Row name → workload id → the step's output, for the rows listed (checks across rows). */
  outputs?: Map<string, Map<string, Float32Array>>;
  /** For tests: the clock samples are timed with, and where progress lines go. */
  clock?: () => number;
  log?: (line: string) => void;
}

type Steps = Exclude<Prepared, { skip: string } | { measured: Timing }>;
type Live = { index: number; steps: Steps; sampler: Sampler };

const idOf = (w: string | { id: string }) => (typeof w === 'string' ? w : w.id);
const timingCell = (t: Timing) => ({ medianMs: t.medianMs, runs: t.runs, samplesMs: t.samplesMs }) as Cell;

function describe(cell: Cell): string {
  return 'skip' in cell ? (cell.skip.startsWith('failed: ') ? cell.skip : `n/a: ${cell.skip}`) : `${cell.medianMs.toFixed(2)} ms (median of ${cell.runs})`;
}

/** One workload on every row; a row that cannot run it or fails leaves its reason in its cell. */
async function runWorkload<W extends string | { id: string }>(rows: readonly Row<W>[], workload: W, options: HarnessOptions): Promise<Cell[]> {
  const id = idOf(workload);
  const { timing = DEFAULT_TIMING, clock, log = console.log } = options;
  const cells: Cell[] = [];
  const settle = (index: number, cell: Cell) => {
    cells[index] = cell;
    log(`  ${rows[index]!.name} / ${id}: ${describe(cell)}`);
  };
  const fail = (index: number, err: unknown) => settle(index, { skip: `failed: ${(err as Error).message.split('\n')[0]}` });
  const prepared: Live[] = [];
  log(`${id}:`);
  try {
    for (const [index, row] of rows.entries()) {
      try {
        const p = await row.prepare(workload);
        if ('skip' in p) settle(index, { skip: p.skip });
        else if ('measured' in p) settle(index, timingCell(p.measured));
        else {
          prepared.push({ index, steps: p, sampler: new Sampler(p.run, timing, clock) });
          const outputs = options.outputs?.get(row.name);
          if (outputs && p.output) outputs.set(id, await p.output());
        }
      } catch (err) {
        fail(index, err);
      }
    }
    await interleave(prepared.filter((l) => !cells[l.index]), settle, fail);
  } finally {
    for (const { index, steps } of prepared) {
      try {
        steps.dispose?.();
      } catch (err) {
        fail(index, err);
      }
    }
  }
  return cells;
}

/** Warms each row up, then takes one sample of each row in turn until all are done. */
async function interleave(rows: Live[], settle: (index: number, cell: Cell) => void, fail: (index: number, err: unknown) => void): Promise<void> {
  // A row whose step throws leaves the rotation; the others go on.
  const attempt = async (l: Live, what: (s: Sampler) => Promise<void>) => {
    try {
      await l.steps.activate?.();
      await what(l.sampler);
      return true;
    } catch (err) {
      fail(l.index, err);
      return false;
    }
  };
  const keep = (l: Live, ok: boolean) => {
    if (ok && l.sampler.done) settle(l.index, timingCell(l.sampler.timing));
    return ok && !l.sampler.done;
  };
  let rotation: Live[] = [];
  for (const l of rows) if (keep(l, await attempt(l, (s) => s.warmUp()))) rotation.push(l);
  while (rotation.length) {
    const next: Live[] = [];
    for (const l of rotation) if (keep(l, await attempt(l, (s) => s.sample()))) next.push(l);
    rotation = next;
  }
}

/** Every workload on every row, workload by workload, the rows' samples interleaved. */
export async function runRows<W extends string | { id: string }>(rows: readonly Row<W>[], workloads: readonly W[], options: HarnessOptions = {}): Promise<Results['rows']> {
  const results = rows.map((row) => ({ name: row.name, threads: row.threads, cells: {} as Record<string, Cell> }));
  for (const w of workloads) {
    const cells = await runWorkload(rows, w, options);
    cells.forEach((cell, i) => (results[i]!.cells[idOf(w)] = cell));
  }
  return results;
}

/** Every workload of one row, recording its outputs into `outputs` when given. */
export async function runRow<W extends string | { id: string }>(
  row: Row<W>,
  workloads: readonly W[],
  options: { timing?: TimingOptions; outputs?: Map<string, Float32Array> } = {},
): Promise<Results['rows'][number]> {
  const outputs = options.outputs && new Map([[row.name, options.outputs]]);
  const [result] = await runRows([row], workloads, { timing: options.timing, outputs });
  return result!;
}
