import { WORKLOADS, type WorkloadId } from './workloads.js';

export type Cell = { medianMs: number; runs: number } | { skip: string };

export interface Results {
  date: string;
  machine: string;
  rows: { name: string; threads: string; cells: Partial<Record<WorkloadId, Cell>> }[];
  /** The row every ratio is relative to. */
  baseline: string;
}

function value(id: WorkloadId, cell: Cell | undefined): number | null {
  if (!cell || 'skip' in cell) return null;
  const w = WORKLOADS.find((x) => x.id === id)!;
  return 'flops' in w ? w.flops / cell.medianMs / 1e6 : cell.medianMs;
}

/** Markdown table: each cell the median (GFLOP/s for GEMM, ms otherwise) and its time ratio to the baseline row. */
export function formatTable(r: Results): string {
  const base = r.rows.find((row) => row.name === r.baseline);
  const head = ['row', 'threads', ...WORKLOADS.map((w) => `${w.title} (${w.unit})`)];
  const lines = r.rows.map((row) => {
    const cells = WORKLOADS.map((w) => {
      const cell = row.cells[w.id];
      const v = value(w.id, cell);
      if (v === null) return cell && 'skip' in cell ? `n/a` : '–';
      const b = base && row !== base ? base.cells[w.id] : undefined;
      const ratio = b && !('skip' in b) && 'medianMs' in cell! ? ` (${((cell as { medianMs: number }).medianMs / b.medianMs).toFixed(2)}×)` : '';
      const once = 'runs' in cell! && cell.runs === 1 ? ' ¹' : '';
      return `${v < 10 ? v.toFixed(2) : v.toFixed(1)}${once}${ratio}`;
    });
    return [row.name, row.threads.split(' (')[0]!, ...cells];
  });
  const fmt = (cols: string[]) => `| ${cols.join(' | ')} |`;
  const notes = r.rows.flatMap((row) =>
    WORKLOADS.flatMap((w) => {
      const c = row.cells[w.id];
      return c && 'skip' in c ? [`- ${row.name} / ${w.title}: ${c.skip}`] : [];
    }),
  );
  const threadNotes = r.rows.filter((row) => row.threads.includes('(')).map((row) => `- ${row.name} threads: ${row.threads}`);
  return [
    fmt(head),
    fmt(head.map(() => '---')),
    ...lines.map(fmt),
    '',
    `Ratios are time relative to ${r.baseline} (lower is faster). ¹ one cold run (over 20 s). ${r.machine}, ${r.date}.`,
    ...threadNotes,
    ...notes,
  ].join('\n');
}
