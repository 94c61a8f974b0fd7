import test from 'ava';
import { runRows } from '../src/harness.js';
import type { TimingOptions } from '../src/sampler.js';
import type { Prepared, Row } from '../src/workloads.js';

/**
 * Fake rows on a fake clock: each step advances the clock by the row's step time and records
 * "<row>:<workload>" in `order`; prepare, activate and dispose record themselves too.
 */
function bench(stepMs: Record<string, number>, fails: { prepare?: string; atRun?: [string, number] } = {}) {
  let now = 0;
  const order: string[] = [];
  const rows: Row<string>[] = Object.entries(stepMs).map(([name, ms]) => ({
    name,
    threads: '1',
    prepare: async (w): Promise<Prepared> => {
      order.push(`prepare ${name}:${w}`);
      if (fails.prepare === name) throw new Error('no memory\nstack');
      let runs = 0;
      return {
        run: async () => {
          runs += 1;
          if (fails.atRun?.[0] === name && runs === fails.atRun[1]) throw new Error('kernel crashed');
          now += ms;
          order.push(`${name}:${w}`);
        },
        output: async () => new Float32Array([ms]),
        activate: async () => void order.push(`activate ${name}`),
        dispose: () => void order.push(`dispose ${name}:${w}`),
      };
    },
  }));
  return { rows, order, clock: () => now, log: () => undefined };
}

const timing: TimingOptions = { warmup: 2, minRuns: 3, maxRuns: 4, budgetMs: 1000 };
const steps = (order: string[]) => order.filter((e) => !e.includes(' '));

test('per workload: every row prepared, warmed up row by row, then one sample of each row in turn; disposed after', async (t) => {
  const { rows, order, clock, log } = bench({ a: 1, b: 2 });
  const results = await runRows(rows, ['gemm', 'conv'], { timing, clock, log });
  const gemm = order.slice(0, order.indexOf('prepare a:conv'));
  t.deepEqual(gemm, [
    'prepare a:gemm', 'prepare b:gemm',
    'activate a', 'a:gemm', 'a:gemm', 'activate b', 'b:gemm', 'b:gemm',
    ...Array.from({ length: 4 }, () => ['activate a', 'a:gemm', 'activate b', 'b:gemm']).flat(),
    'dispose a:gemm', 'dispose b:gemm',
  ]);
  t.is(order.length, 2 * gemm.length);
  t.deepEqual(results.map((r) => [r.name, r.cells.gemm, r.cells.conv]), [
    ['a', { medianMs: 1, runs: 4, samplesMs: [1, 1, 1, 1] }, { medianMs: 1, runs: 4, samplesMs: [1, 1, 1, 1] }],
    ['b', { medianMs: 2, runs: 4, samplesMs: [2, 2, 2, 2] }, { medianMs: 2, runs: 4, samplesMs: [2, 2, 2, 2] }],
  ]);
});

test("each row's budget counts its own samples: a slow row stops at its budget while a fast one goes on", async (t) => {
  // slow: over a quarter budget, so no warm-up beyond the cold run and two runs minimum; then
  // samples until 1000 ms of its own: 300, 600, 900, 1200. never: over five budgets, one run.
  const { rows, order, clock, log } = bench({ fast: 1, slow: 300, never: 6000 });
  const [fast, slow, never] = await runRows(rows, ['train'], { timing: { ...timing, maxRuns: 6 }, clock, log });
  t.deepEqual(steps(order), [
    'fast:train', 'fast:train', 'slow:train', 'never:train',
    ...Array.from({ length: 4 }, () => ['fast:train', 'slow:train']).flat(),
    'fast:train', 'fast:train',
  ]);
  t.like(fast!.cells.train, { runs: 6 });
  t.like(slow!.cells.train, { runs: 4, medianMs: 300 });
  t.deepEqual(never!.cells.train, { medianMs: 6000, runs: 1, samplesMs: [6000] });
});

test('a row failing in prepare or mid-rotation leaves its reason; the others keep their turns and all are disposed', async (t) => {
  const { rows, order, clock, log } = bench({ a: 1, b: 1, c: 1 }, { prepare: 'a', atRun: ['b', 4] });
  const [a, b, c] = await runRows(rows, ['gemm'], { timing, clock, log });
  t.deepEqual(a!.cells.gemm, { skip: 'failed: no memory' });
  t.deepEqual(b!.cells.gemm, { skip: 'failed: kernel crashed' });
  t.like(c!.cells.gemm, { runs: 4 });
  t.deepEqual(steps(order), ['b:gemm', 'b:gemm', 'c:gemm', 'c:gemm', 'b:gemm', 'c:gemm', 'c:gemm', 'c:gemm', 'c:gemm']);
  t.deepEqual(order.filter((e) => e.startsWith('dispose')), ['dispose b:gemm', 'dispose c:gemm']);
});

test('skipped and subprocess-timed rows pass through; outputs are recorded for the rows asked', async (t) => {
  const { rows, clock, log } = bench({ a: 3 });
  const measured = { medianMs: 5, runs: 2, samplesMs: [4, 6] };
  const more: Row<string>[] = [
    { name: 'torch', threads: '1', prepare: async () => ({ measured }) },
    { name: 'ort', threads: '1', prepare: async () => ({ skip: 'no training' }) },
  ];
  const outputs = new Map([['a', new Map<string, Float32Array>()]]);
  const results = await runRows([...rows, ...more], ['train'], { timing, clock, log, outputs });
  t.deepEqual(results.map((r) => r.cells.train), [{ medianMs: 3, runs: 4, samplesMs: [3, 3, 3, 3] }, measured, { skip: 'no training' }]);
  t.deepEqual(outputs.get('a')?.get('train'), new Float32Array([3]));
});
