import { noGrad, tidy, zeros, type DType } from '@fovea/core';
import type { Module } from './module.js';

export interface SummaryOptions {
  /** Element type of the probe input (int32 for models that start with an Embedding). */
  dtype?: DType;
  /** Title line (default the model's class name). */
  name?: string;
}

interface Row {
  layer: string;
  shape: string;
  params: number;
}

const count = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, width: number) => s.padEnd(width);

/**
 * A Keras-style table of a model's leaf layers (in call order) with their output shapes and
 * parameter counts, and the totals. `inputShape` excludes the batch dim, shown as `None`. The
 * model runs once on zeros in eval mode; its training flags are restored afterwards.
 */
export function summary(model: Module, inputShape: readonly number[], options: SummaryOptions = {}): string {
  const names = new Map(model.namedModules().map(([name, m]) => [m, name || model.constructor.name]));
  const rows: Row[] = [];
  const leaves = model.modules().filter((m) => m.children().length === 0);
  const removers = leaves.map((m) =>
    m.registerForwardHook((module, _inputs, output) => {
      const params = module.parameters(false).reduce((n, p) => n + p.size, 0);
      rows.push({ layer: `${names.get(module)} (${module.constructor.name})`, shape: `(None, ${output.shape.slice(1).join(', ')})`, params });
    }),
  );
  const modes = model.modules().map((m) => [m, m.training] as const);
  try {
    model.eval();
    noGrad(() => tidy(() => void model.call(zeros([1, ...inputShape], { dtype: options.dtype ?? 'float32' }))));
  } finally {
    for (const remove of removers) remove();
    for (const [m, training] of modes) m.training = training;
  }
  const params = model.parameters();
  const total = params.reduce((n, p) => n + p.size, 0);
  const trainable = params.filter((p) => p.requiresGrad).reduce((n, p) => n + p.size, 0);
  return table(options.name ?? model.constructor.name, rows, total, trainable);
}

function table(name: string, rows: Row[], total: number, trainable: number): string {
  const w0 = Math.max(28, ...rows.map((r) => r.layer.length + 2));
  const w1 = Math.max(25, ...rows.map((r) => r.shape.length + 2));
  const width = w0 + w1 + 12;
  const line = (c: string) => c.repeat(width);
  const body = rows.map((r) => pad(r.layer, w0) + pad(r.shape, w1) + count(r.params)).join(`\n${line('_')}\n`);
  return [
    `Model: "${name}"`,
    line('_'),
    pad('Layer (type)', w0) + pad('Output Shape', w1) + 'Param #',
    line('='),
    body,
    line('='),
    `Total params: ${count(total)}`,
    `Trainable params: ${count(trainable)}`,
    `Non-trainable params: ${count(total - trainable)}`,
    line('_'),
  ].join('\n');
}
