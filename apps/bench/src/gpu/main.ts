/**
 * `pnpm bench:gpu` (issue #6 §4): fovea-webgpu against tfjs-webgpu and onnxruntime-web's WebGPU
 * EP in one process on one Dawn adapter, with PyTorch's cuBLAS GEMM as the ceiling; checks
 * fovea's logits and training gradients against the peers'; judges the issue's targets. Runs as the
 * bundle `pnpm bench:gpu:prepare` writes (see the README). Options: --quick (small sizes for a
 * software adapter), --rows=a,b, --workloads=gemm,r50-bN,…, --tiles=large,t8x8b8x8d16,… (one more
 * fovea-webgpu row per GEMM tile configuration, for tuning), --profile (instead of the table: fovea's
 * GPU time per kernel in each workload, see profile.ts), --out=FILE (default
 * .bench-results/gpu.json), --dawn=DIR (where the `webgpu` package is, for runs outside the GPU
 * machine's payload), --null-device (Dawn's null backend: every row's CPU side alone, no output checks).
 */
import { adapterName, nullDevice } from './dawn.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIMING, runRow, type TimingOptions } from '../harness.js';
import { formatTable, type Results } from '../table.js';
import { compareOutputs, formatChecks, type Outputs } from './checks.js';
import { profileFovea } from './profile.js';
import { foveaWebgpuRow } from './rows/fovea.js';
import { ortWebgpuRow } from './rows/ort.js';
import { tfjsWebgpuRow } from './rows/tfjs.js';
import { torchCudaRow } from './rows/torch.js';
import { formatVerdicts, judgeTargets } from './targets.js';
import type { Row } from '../workloads.js';
import { gpuWorkloads, type GpuWorkload } from './workloads.js';

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

// This runs as the bundle .bench-results/gpu/bench.mjs: the repository root is two folders up.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const quick = process.argv.includes('--quick');
const rowFilter = option('rows')?.split(',');
const wanted = option('workloads')?.split(',');
const tileRows = option('tiles')?.split(',') ?? [];
const workloads = gpuWorkloads(quick).filter((w) => !wanted || wanted.includes(w.id));
const out = resolve(root, option('out') ?? '.bench-results/gpu.json');
// A software adapter takes seconds to a minute a step: after the output check's run, one timed run.
// A GPU's clocks need a moment of work to come up: a second of warm-up per workload and row.
const timing: TimingOptions = quick ? { warmup: 1, minRuns: 1, maxRuns: 1, budgetMs: 0 } : { ...DEFAULT_TIMING, warmupMs: 1000 };

function save(json: object): void {
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(json, null, 2));
}

async function main(): Promise<number> {
  console.log(`adapter: ${adapterName}${quick ? ' — quick mode: small sizes, timings mean nothing' : ''}`);
  if (process.argv.includes('--profile')) {
    save({ date: new Date().toISOString(), adapter: adapterName, quick, profiles: await profileFovea(workloads, timing.warmupMs ?? 0) });
    return 0;
  }
  const results: Results = {
    date: new Date().toISOString(),
    machine: `${adapterName}; host ${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    rows: [],
    baseline: 'tfjs-webgpu',
  };
  const outputs: Outputs = new Map();
  const makers: [string, () => Promise<Row<GpuWorkload>>][] = [
    ['fovea-webgpu', () => foveaWebgpuRow()],
    ...tileRows.map((tiles): [string, () => Promise<Row<GpuWorkload>>] => [`fovea-webgpu[${tiles}]`, () => foveaWebgpuRow(tiles)]),
    ['tfjs-webgpu', tfjsWebgpuRow],
    ['ort-webgpu', ortWebgpuRow],
    ['pytorch-cuda', () => torchCudaRow(root, timing)],
  ];
  for (const [name, make] of makers) {
    if (rowFilter && !rowFilter.some((f) => name.includes(f))) continue;
    const row = await make();
    console.log(`${row.name} — ${row.threads}`);
    const rowOutputs = new Map<string, Float32Array>();
    results.rows.push(await runRow(row, workloads, { timing, outputs: rowOutputs }));
    outputs.set(row.name, rowOutputs);
    await row.close?.();
    // A device call can be cut off at its time limit: keep every finished row on disk.
    save({ ...results, quick, partial: true });
  }
  // The null device computes nothing: its outputs are whatever its buffers held.
  const checks = nullDevice ? [] : compareOutputs(outputs, workloads);
  const verdicts = judgeTargets(results, workloads);
  const report = [
    formatTable(results, workloads),
    '',
    `Correctness (same weights and inputs in every row):`,
    ...(nullDevice ? ['- not checked: the null device runs no shader'] : formatChecks(checks)),
    '',
    `Targets (issue #6 §4)${quick ? ' — quick sizes on this adapter, so no verdict on speed' : ''}:`,
    ...(nullDevice ? ['- none: the null device times the CPU side only'] : formatVerdicts(verdicts)),
  ].join('\n');
  console.log(`\n${report}\n`);
  save({ ...results, quick, checks, verdicts, report });
  console.log(`results: ${out}`);
  return checks.every((c) => c.ok) ? 0 : 1;
}

// Dawn and ONNX Runtime keep handles open: exit explicitly once the results are written.
process.exit(await main());
