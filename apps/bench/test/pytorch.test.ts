import test from 'ava';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython, prepared, pythonCandidates, TorchProcess } from '../src/rows/pytorch.js';
import { formatTable, type Results } from '../src/table.js';

test('answers of torch_bench.py become timings, skips or errors', (t) => {
  t.deepEqual(prepared({ id: 'gemm', medianMs: 2, runs: 3, samplesMs: [1, 2, 3] }), { measured: { medianMs: 2, runs: 3, samplesMs: [1, 2, 3] } });
  t.deepEqual(prepared({ id: 'gemm', skip: 'no CUDA' }), { skip: 'no CUDA' });
  t.throws(() => prepared({ id: 'gemm', error: 'RuntimeError: boom' }), { message: 'PyTorch: RuntimeError: boom' });
});

test('FOVEA_PYTHON is looked at first; a missing PyTorch says where it looked', (t) => {
  t.deepEqual(pythonCandidates({ FOVEA_PYTHON: '/opt/py' }), ['/opt/py', 'python3', '/usr/bin/python3']);
  const found = findTorchPython(['/nonexistent/python3']);
  t.deepEqual(found, { skip: 'no PyTorch (looked for /nonexistent/python3; set FOVEA_PYTHON to a python3 with torch)' });
});

test('the table sets fovea-wasm against PyTorch with as many threads, with the training target', (t) => {
  const cell = (medianMs: number) => ({ medianMs, runs: 3 });
  const r: Results = {
    date: 'today',
    machine: 'test',
    baseline: 'ort-web (wasm)',
    rows: [
      { name: 'fovea-wasm (2 threads)', threads: '2', cells: { conv: cell(30), train: cell(300) } },
      { name: 'pytorch (1 thread)', threads: '1 (native CPU)', cells: { conv: cell(10), train: cell(100) } },
      { name: 'pytorch (2 threads)', threads: '2 (native CPU)', cells: { conv: cell(20), train: cell(100) } },
    ],
  };
  t.true(formatTable(r).includes('- fovea-wasm (2 threads) / pytorch (2 threads), time: conv 3×3 64→64 56×56 1.50×, CIFAR CNN train step b64 3.00× (training step target ≤ 2×: not met)'));
});

const torch = findTorchPython();
const script = fileURLToPath(new URL('../python/torch_bench.py', import.meta.url));

(('python' in torch) ? test : test.skip)('torch_bench.py answers each request in order, errors included', async (t) => {
  const proc = new TorchProcess((torch as { python: string }).python, script, ['--device', 'cpu', '--threads', '1']);
  try {
    const ready = await proc.ready();
    t.like(ready, { ready: true, device: 'cpu', threads: 1 });
    const timing = { warmup: 1, minRuns: 2, maxRuns: 2, budgetMs: 1000 };
    const answer = await proc.measure({ id: 'gemm', kind: 'gemm', n: 8 }, timing);
    t.like(answer, { id: 'gemm', runs: 2 });
    t.is((answer as { samplesMs: number[] }).samplesMs.length, 2);
    t.like(await proc.measure({ id: 'odd', kind: 'fft' }, timing), { id: 'odd', error: "ValueError: unknown workload kind 'fft'" });
  } finally {
    await proc.close();
  }
});

test('the script sits where the rows look for it', (t) => {
  t.is(script, join(fileURLToPath(new URL('../../..', import.meta.url)), 'apps/bench/python/torch_bench.py'));
});
