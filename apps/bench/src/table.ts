import { WORKLOADS } from './workloads.js';

export type Cell = { medianMs: number; runs: number } | { skip: string };

/** A column of the table: GFLOP/s when `flops` is given, else milliseconds. */
export interface Column {
  id: string;
  title: string;
  unit: string;
  flops?: number;
}

export interface Results {
  date: string;
  machine: string;
  rows: { name: string; threads: string; cells: Partial<Record<string, Cell>> }[];
  /** The row every ratio is relative to. */
  baseline: string;
}

function value(w: Column, cell: Cell | undefined): number | null {
  if (!cell || 'skip' in cell) return null;
  return w.flops ? w.flops / cell.medianMs / 1e6 : cell.medianMs;
}

function ms(cell: Cell | undefined): number | null {
  return cell && 'medianMs' in cell ? cell.medianMs : null;
}

/** The thread count a row computed with (the first word of its `threads`). */
const threadCount = (row: Results['rows'][number]) => row.threads.split(' ')[0];

/**
 * fovea-wasm against native PyTorch with as many threads: time ratios per workload, and the
 * issue #4 target (a training step within 2× of PyTorch).
 */
function versusPytorch(r: Results, columns: readonly Column[]): string[] {
  return r.rows
    .filter((row) => row.name.startsWith('fovea-wasm'))
    .flatMap((row) => {
      const torch = r.rows.find((t) => t.name.startsWith('pytorch') && threadCount(t) === threadCount(row));
      if (!torch) return [];
      const ratios = columns.flatMap((w) => {
        const [a, b] = [ms(row.cells[w.id]), ms(torch.cells[w.id])];
        return a !== null && b !== null ? [{ id: w.id, text: `${w.title} ${(a / b).toFixed(2)}×`, ratio: a / b }] : [];
      });
      if (!ratios.length) return [];
      const train = ratios.find((x) => x.id === 'train');
      const verdict = train ? ` (training step target ≤ 2×: ${train.ratio <= 2 ? 'met' : 'not met'})` : '';
      return [`- ${row.name} / ${torch.name}, time: ${ratios.map((x) => x.text).join(', ')}${verdict}`];
    });
}

/** Markdown table: each cell the median (GFLOP/s for GEMM, ms otherwise) and its time ratio to the baseline row. */
export function formatTable(r: Results, columns: readonly Column[] = WORKLOADS): string {
  const base = r.rows.find((row) => row.name === r.baseline);
  const head = ['row', 'threads', ...columns.map((w) => `${w.title} (${w.unit})`)];
  const lines = r.rows.map((row) => {
    const cells = columns.map((w) => {
      const cell = row.cells[w.id];
      const v = value(w, cell);
      if (v === null) return cell && 'skip' in cell ? `n/a` : '–';
      const b = base && row !== base ? base.cells[w.id] : undefined;
      const ratio = b && !('skip' in b) && 'medianMs' in cell! ? ` (${((cell as { medianMs: number }).medianMs / b.medianMs).toFixed(2)}×)` : '';
      const once = 'runs' in cell! && cell.runs === 1 ? ' ¹' : '';
      return `${v < 10 ? v.toFixed(2) : v.toFixed(1)}${once}${ratio}`;
    });
    return [row.name, row.threads.split(' (')[0]!, ...cells];
  });
  const fmt = (cols: string[]) => `| ${cols.join(' | ')} |`;
  // One line per row and reason, naming the workloads it kept from running.
  const notes = r.rows.flatMap((row) => {
    const byReason = new Map<string, string[]>();
    for (const w of columns) {
      const c = row.cells[w.id];
      if (c && 'skip' in c) byReason.set(c.skip, [...(byReason.get(c.skip) ?? []), w.title]);
    }
    return [...byReason].map(([reason, titles]) => `- ${row.name} / ${titles.join(', ')}: ${reason}`);
  });
  const threadNotes = r.rows.filter((row) => row.threads.includes('(')).map((row) => `- ${row.name} threads: ${row.threads}`);
  return [
    fmt(head),
    fmt(head.map(() => '---')),
    ...lines.map(fmt),
    '',
    `Ratios are time relative to ${r.baseline} (lower is faster). ¹ one run only (a step over five time budgets, or a quick run). ${r.machine}, ${r.date}.`,
    ...threadNotes,
    ...versusPytorch(r, columns),
    ...notes,
  ].join('\n');
}
