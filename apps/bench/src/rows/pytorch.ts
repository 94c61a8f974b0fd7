/**
 * Native PyTorch rows: `python/torch_bench.py` in a subprocess, one per row, asked for one
 * workload at a time over a JSON-lines pipe (the protocol is described in the script). The
 * script times each step itself, with harness.ts's rules, so the pipe stays out of the numbers.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DEFAULT_TIMING, type TimingOptions } from '../harness.js';
import { CIFAR } from '../models/cifar.js';
import { resnet18 } from '../models/resnet18.js';
import { squeezenet11 } from '../models/squeezenet.js';
import { CONV, type Prepared, type Row, type WorkloadId } from '../workloads.js';

/** Where to look for a python3 that imports torch, in order. */
export function pythonCandidates(env = process.env): string[] {
  return [...(env.FOVEA_PYTHON ? [env.FOVEA_PYTHON] : []), 'python3', '/usr/bin/python3'];
}

/** The first candidate that imports torch, or why none does. */
export function findTorchPython(candidates = pythonCandidates()): { python: string } | { skip: string } {
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
    if (probe.status === 0) return { python };
  }
  return { skip: `no PyTorch (looked for ${candidates.join(', ')}; set FOVEA_PYTHON to a python3 with torch)` };
}

/** What the script prints first. */
export type Ready = { ready: true; torch: string; device: string; threads?: number; blas?: string } | { skip: string };

/** One answer of the script. */
export type Answer = { id: string; medianMs: number; runs: number; samplesMs: number[] } | { id: string; skip: string } | { id: string; error: string };

/** A workload as the script takes it: its id, kind and shapes. */
export type Request = { id: string; kind: string } & Record<string, unknown>;

/** A cell for the table from one answer. */
export function prepared(answer: Answer): Prepared {
  if ('medianMs' in answer) return { measured: { medianMs: answer.medianMs, runs: answer.runs, samplesMs: answer.samplesMs } };
  if ('skip' in answer) return { skip: answer.skip };
  throw new Error(`PyTorch: ${answer.error}`);
}

/** A running torch_bench.py: send requests, read answers in order. */
export class TorchProcess {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #lines: AsyncIterator<string>;
  #stderr = '';

  constructor(python: string, script: string, args: string[]) {
    this.#child = spawn(python, [script, ...args], { stdio: 'pipe' });
    this.#child.stderr.on('data', (chunk: Buffer) => (this.#stderr = (this.#stderr + chunk.toString()).slice(-2000)));
    this.#lines = createInterface({ input: this.#child.stdout })[Symbol.asyncIterator]();
  }

  async #next<T>(): Promise<T> {
    const line = await this.#lines.next();
    if (line.done) throw new Error(`torch_bench.py exited (code ${this.#child.exitCode}): ${this.#stderr.trim().split('\n').at(-1) ?? ''}`);
    return JSON.parse(line.value) as T;
  }

  ready(): Promise<Ready> {
    return this.#next<Ready>();
  }

  async measure(request: Request, timing: TimingOptions = DEFAULT_TIMING): Promise<Answer> {
    this.#child.stdin.write(`${JSON.stringify({ ...request, timing })}\n`);
    return this.#next<Answer>();
  }

  async close(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.stdin.end();
    await exited;
  }
}

/** Starts the script on `device` with `threads`, or says why it cannot run. */
export async function startTorch(root: string, device: 'cpu' | 'cuda', threads: number): Promise<{ torch: TorchProcess; ready: Extract<Ready, { ready: true }> } | { skip: string }> {
  const found = findTorchPython();
  if ('skip' in found) return found;
  const torch = new TorchProcess(found.python, join(root, 'apps/bench/python/torch_bench.py'), ['--device', device, '--threads', String(threads)]);
  const ready = await torch.ready();
  if ('skip' in ready) {
    await torch.close();
    return ready;
  }
  return { torch, ready };
}

/** The CPU bench's workloads as the script takes them. */
function cpuRequest(id: WorkloadId): Request {
  switch (id) {
    case 'gemm':
      return { id, kind: 'gemm', n: 1024 };
    case 'conv':
      return { id, kind: 'conv', input: CONV.input, weight: CONV.weight, pad: CONV.pad };
    case 'resnet18':
      return { id, kind: 'inference', net: resnet18() };
    case 'squeezenet':
      return { id, kind: 'inference', net: squeezenet11() };
    case 'train':
      return { id, kind: 'train-cifar', cifar: CIFAR };
  }
}

async function cpuRow(root: string, threads: number): Promise<Row> {
  const started = await startTorch(root, 'cpu', threads);
  const name = `pytorch (${threads} thread${threads > 1 ? 's' : ''})`;
  if ('skip' in started) return { name, threads: String(threads), prepare: async () => ({ skip: started.skip }) };
  const { torch, ready } = started;
  return {
    name,
    threads: `${ready.threads} (native CPU: PyTorch ${ready.torch}, BLAS ${ready.blas})`,
    prepare: async (workload) => prepared(await torch.measure(cpuRequest(workload))),
    close: () => torch.close(),
  };
}

/** Native PyTorch on the CPU with 1 and `threads` threads. */
export async function pytorchRows(threads: number, root: string): Promise<Row[]> {
  const counts = threads === 1 ? [1] : [1, threads];
  return Promise.all(counts.map((n) => cpuRow(root, n)));
}
