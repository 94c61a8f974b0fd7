/**
 * `pnpm bench`: every row × workload on this machine, one table of medians and ratios, and a
 * JSON file of the raw samples. Options: --threads=N (default 2), --rows=a,b (substrings of
 * row names; opt-in rows such as tfjs-cpu run only when named), --workloads=gemm,conv,…,
 * --out=FILE (default .bench-results/bench.json).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runRow } from './harness.js';
import { foveaRows } from './rows/fovea.js';
import { ortRows } from './rows/ort.js';
import { pytorchRows } from './rows/pytorch.js';
import { tfjsRows } from './rows/tfjs.js';
import { formatTable, type Results } from './table.js';
import { WORKLOADS, type WorkloadId } from './workloads.js';

function option(name: string): string | undefined {
  return process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const threads = Number(option('threads') ?? 2);
const rowFilter = option('rows')?.split(',');
const workloads = (option('workloads')?.split(',') ?? WORKLOADS.map((w) => w.id)) as WorkloadId[];
const out = resolve(root, option('out') ?? '.bench-results/bench.json');

async function main(): Promise<void> {
  const makers = [() => foveaRows(threads), () => tfjsRows(), () => ortRows(threads, root), () => pytorchRows(threads, root)];
  const results: Results = {
    date: new Date().toISOString(),
    machine: `${cpus().length}× ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    rows: [],
    baseline: 'ort-web (wasm)',
  };
  for (const make of makers) {
    for (const row of await make()) {
      const wanted = rowFilter ? rowFilter.some((f) => row.name.includes(f)) : !row.optIn;
      // Rows start their runtimes (PyTorch subprocesses, workers) when made: close the skipped
      // ones too, or they keep the process alive after the table.
      if (!wanted) {
        await row.close?.();
        continue;
      }
      console.log(`${row.name} — threads: ${row.threads}`);
      results.rows.push(await runRow(row, workloads));
      await row.close?.();
    }
  }
  if (!results.rows.some((r) => r.name === results.baseline)) results.baseline = results.rows[0]?.name ?? '';
  console.log(`\n${formatTable(results)}\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify(results, null, 2));
  console.log(`raw samples: ${out}`);
}

await main();
