import test from 'ava';
import { compareOutputs, formatChecks } from '../src/gpu/checks.js';
import { formatVerdicts, judgeTargets } from '../src/gpu/targets.js';
import { gpuWorkloads } from '../src/gpu/workloads.js';
import type { Results } from '../src/table.js';

const workloads = gpuWorkloads(true);

test('quick workloads are the full ones, smaller', (t) => {
  const full = gpuWorkloads(false);
  t.deepEqual(workloads.map((w) => w.id), full.map((w) => w.id));
  t.deepEqual(full.map((w) => w.title), ['GEMM 4096³', 'ResNet-18 b1 224²', 'ResNet-18 b32 224²', 'ResNet-50 b1 224²', 'ResNet-50 b32 224²', 'ResNet-18 train step b32 224²']);
  const r50 = workloads.find((w) => w.id === 'r50-bN')!;
  t.deepEqual(r50.kind === 'infer' ? r50.net.input : null, [2, 3, 32, 32]);
});

test("fovea's outputs are compared with each peer's, relative to the largest value", (t) => {
  const outputs = new Map([
    ['fovea-webgpu', new Map([['r18-b1', Float32Array.of(1, -2, 4)], ['train-r18', Float32Array.of(6.9, 6.5)], ['gemm', Float32Array.of(1)]])],
    ['tfjs-webgpu', new Map([['r18-b1', Float32Array.of(1, -2, 4.002)], ['train-r18', Float32Array.of(6.9, 6.6)], ['gemm', Float32Array.of(1.0001)]])],
    ['ort-webgpu', new Map([['r18-b1', Float32Array.of(1, -2, 4.1)]])],
  ]);
  const checks = compareOutputs(outputs, workloads);
  t.is(checks.length, 4);
  const [gemm, tfjs, ort, train] = checks;
  t.like(gemm, { peer: 'tfjs-webgpu', workload: 'GEMM 256³', ok: true });
  t.like(tfjs, { peer: 'tfjs-webgpu', workload: 'ResNet-18 b1 32²', ok: true });
  t.true(Math.abs(tfjs!.error - 0.002 / 4.002) < 1e-6);
  t.like(ort, { peer: 'ort-webgpu', ok: false });
  t.like(train, { peer: 'tfjs-webgpu', workload: 'ResNet-18 train step b2 64²', ok: false, tolerance: 1e-3 });
  t.regex(formatChecks(checks)[2]!, /^- MISMATCH: fovea-webgpu vs ort-webgpu, ResNet-18 b1 32²/);
});

test('a tile-tuning row is checked against the peers too, not against the other fovea rows', (t) => {
  const outputs = new Map([
    ['fovea-webgpu', new Map([['r18-b1', Float32Array.of(1, 2)]])],
    ['fovea-webgpu[large]', new Map([['r18-b1', Float32Array.of(1, 3)]])],
    ['tfjs-webgpu', new Map([['r18-b1', Float32Array.of(1, 2)]])],
  ]);
  const checks = compareOutputs(outputs, workloads);
  t.deepEqual(
    checks.map((c) => [c.subject, c.peer, c.ok]),
    [
      ['fovea-webgpu', 'tfjs-webgpu', true],
      ['fovea-webgpu[large]', 'tfjs-webgpu', false],
    ],
  );
  t.regex(formatChecks(checks)[1]!, /^- MISMATCH: fovea-webgpu\[large\] vs tfjs-webgpu/);
});

test('targets are judged against this run: cuBLAS for GEMM, tfjs and ORT for ResNet-50, tfjs for training', (t) => {
  const cell = (medianMs: number) => ({ medianMs, runs: 5 });
  const r: Results = {
    date: 'today',
    machine: 'test',
    baseline: 'tfjs-webgpu',
    rows: [
      { name: 'fovea-webgpu', threads: 'GPU', cells: { gemm: cell(4), 'r50-bN': cell(70), 'train-r18': cell(50) } },
      { name: 'tfjs-webgpu', threads: 'GPU', cells: { gemm: cell(10), 'r50-bN': cell(100), 'train-r18': cell(400) } },
      { name: 'ort-webgpu', threads: 'GPU', cells: { gemm: cell(8), 'r50-bN': cell(60), 'train-r18': { skip: 'no training' } } },
      { name: 'pytorch-cuda', threads: 'GPU', cells: { gemm: cell(3) } },
    ],
  };
  const verdicts = judgeTargets(r, workloads);
  t.deepEqual(
    verdicts.map((v) => [v.measured, v.met]),
    [
      ['0.75×', true],
      ['0.70×', true],
      ['1.17×', false],
      ['0.13×', false],
    ],
  );
  r.rows.pop();
  t.like(judgeTargets(r, workloads)[0], { met: null, measured: 'not measured (pytorch-cuda has no result)' });
  t.is(formatVerdicts(verdicts)[2], '- FAIL: ResNet-50 b2 32²: fovea-webgpu faster than ort-webgpu — measured 1.17×');
});
