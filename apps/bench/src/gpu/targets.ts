import type { Cell, Results } from '../table.js';
import type { GpuWorkload } from './workloads.js';

/** One of issue #6 §4's targets, judged against this run's peers. */
export interface Verdict {
  target: string;
  /** The measured ratio, in words; why not, when a cell is missing. */
  measured: string;
  met: boolean | null;
}

function ms(r: Results, row: string, id: string): number | null {
  const cell: Cell | undefined = r.rows.find((x) => x.name === row)?.cells[id];
  return cell && 'medianMs' in cell ? cell.medianMs : null;
}

/** fovea's time over a peer's, judged by `pass`; a missing cell leaves it undecided. */
function ratio(r: Results, id: string, peer: string, target: string, pass: (ratio: number) => boolean, invert = false): Verdict {
  const [mine, theirs] = [ms(r, 'fovea-webgpu', id), ms(r, peer, id)];
  if (mine === null || theirs === null) return { target, measured: `not measured (${mine === null ? 'fovea-webgpu' : peer} has no result)`, met: null };
  const value = invert ? theirs / mine : mine / theirs;
  return { target, measured: `${value.toFixed(2)}×`, met: pass(value) };
}

/** GEMM ≥ 50 % of cuBLAS; ResNet-50 at the big batch ≤ 0.75× tfjs-webgpu and faster than ORT; training ≤ 0.1× tfjs-webgpu. */
export function judgeTargets(r: Results, workloads: readonly GpuWorkload[]): Verdict[] {
  const title = (id: string) => workloads.find((w) => w.id === id)?.title ?? id;
  return [
    ratio(r, 'gemm', 'pytorch-cuda', `${title('gemm')}: fovea-webgpu ≥ 0.5× cuBLAS's GFLOP/s`, (x) => x >= 0.5, true),
    ratio(r, 'r50-bN', 'tfjs-webgpu', `${title('r50-bN')}: fovea-webgpu ≤ 0.75× tfjs-webgpu's time`, (x) => x <= 0.75),
    ratio(r, 'r50-bN', 'ort-webgpu', `${title('r50-bN')}: fovea-webgpu faster than ort-webgpu`, (x) => x < 1),
    ratio(r, 'train-r18', 'tfjs-webgpu', `${title('train-r18')}: fovea-webgpu ≤ 0.1× tfjs-webgpu's time`, (x) => x <= 0.1),
  ];
}

export function formatVerdicts(verdicts: readonly Verdict[]): string[] {
  return verdicts.map((v) => `- ${v.met === null ? 'n/a' : v.met ? 'PASS' : 'FAIL'}: ${v.target} — measured ${v.measured}`);
}
