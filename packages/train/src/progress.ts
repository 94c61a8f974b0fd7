import type { BatchLogs, Callback, FitState } from './callback.js';
import type { Logs } from './types.js';

/** Where the bar is drawn: a Node writable stream (process.stdout by default). */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressOptions {
  stream?: ProgressStream;
  /** Minimum milliseconds between redraws (default 100 on a terminal, 10 000 otherwise). */
  intervalMs?: number;
  /** What a sample is called in the throughput ('img' prints 'img/s'; default 'samples'). */
  unit?: string;
}

/**
 * Shows each epoch's progress: batches done, running loss and metrics, throughput (samples/s)
 * and time left. On a terminal it redraws one line in place; otherwise (CI logs, pipes) it prints
 * a plain line now and then. Every epoch ends with one line including its time.
 */
export class ProgressBar implements Callback {
  readonly #stream: ProgressStream;
  readonly #interval: number;
  readonly #unit: string;
  #start = 0;
  #trainSeconds = 0;
  #lastDraw = 0;
  #samples = 0;
  #firstStep = 0;

  constructor(options: ProgressOptions = {}) {
    this.#stream = options.stream ?? process.stdout;
    this.#interval = options.intervalMs ?? (this.#stream.isTTY ? 100 : 10_000);
    this.#unit = options.unit ?? 'samples';
  }

  onEpochBegin(state: FitState): void {
    this.#start = this.#lastDraw = performance.now();
    this.#samples = 0;
    this.#trainSeconds = 0;
    this.#firstStep = state.step;
  }

  onBatchEnd(state: FitState, batch: BatchLogs): void {
    this.#samples += batch.size;
    const now = performance.now();
    this.#trainSeconds = (now - this.#start) / 1000;
    if (now - this.#lastDraw < this.#interval || state.step === state.stepsPerEpoch) return;
    this.#lastDraw = now;
    const parts = [this.#counter(state), formatLogs(batch.running), this.#rate(), this.#eta(state)];
    this.#print(parts.filter(Boolean).join('  '), false);
  }

  onEpochEnd(state: FitState, logs: Logs): void {
    const steps = state.stepsPerEpoch === undefined ? '' : `  ${state.stepsPerEpoch}/${state.stepsPerEpoch}`;
    const parts = [`epoch ${logs.epoch}/${state.epochs}${steps}`, formatLogs(logs), this.#rate(), `${(logs.time ?? 0).toFixed(1)} s/epoch`];
    this.#print(parts.filter(Boolean).join('  '), true);
  }

  #counter(state: FitState): string {
    const head = `epoch ${state.epoch + 1}/${state.epochs}`;
    const total = state.stepsPerEpoch;
    if (!total) return `${head}  ${state.step}`;
    return `${head} ${bar(state.step / total, this.#stream.isTTY ? 20 : 0)} ${state.step}/${total}`;
  }

  #eta(state: FitState): string {
    const done = state.step - this.#firstStep;
    if (!state.stepsPerEpoch || done <= 0) return '';
    return `ETA ${clock(((state.stepsPerEpoch - state.step) * this.#trainSeconds) / done)}`;
  }

  /** Training throughput (validation time excluded). */
  #rate(): string {
    if (this.#trainSeconds <= 0) return '';
    return `${Math.round(this.#samples / this.#trainSeconds).toLocaleString('en-US')} ${this.#unit}/s`;
  }

  #print(line: string, final: boolean): void {
    if (!this.#stream.isTTY) this.#stream.write(`${line}\n`);
    else this.#stream.write(`\r\x1b[2K${line.slice(0, (this.#stream.columns ?? 120) - 1)}${final ? '\n' : ''}`);
  }
}

function formatLogs(logs: Logs): string {
  const skip = new Set(['epoch', 'time']);
  return Object.entries(logs)
    .filter(([k]) => !skip.has(k))
    .map(([k, v]) => `${k} ${k === 'lr' ? v.toExponential(2) : v.toFixed(4)}`)
    .join('  ');
}

function bar(fraction: number, width: number): string {
  if (width === 0) return '';
  const full = Math.round(Math.min(1, fraction) * width);
  return `${'━'.repeat(full)}${'─'.repeat(width - full)}`;
}

/** m:ss, or h:mm:ss from an hour up. */
function clock(seconds: number): string {
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor(s / 60) % 60;
  return h ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
