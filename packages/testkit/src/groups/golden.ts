/** The PyTorch golden cases shipped in ../golden: forward values and gradients. */
import { dispose, grad, tensor, Tensor, tidy } from '@fovea/core';
import type { Check } from '../check.js';
import { expectClose } from '../compare.js';
import { loadGolden, type GoldenCase, type GoldenTensor } from '../golden-data.js';
import { GOLDEN_OPS, type Inputs } from '../golden-ops.js';
import type { Tolerances } from '../options.js';

/** Golden files and the tolerance class of their ops (optimizers and recurrent belong to other packages). */
const FILES: Record<string, keyof Tolerances> = {
  elementwise: 'elementwise',
  movement: 'elementwise',
  reductions: 'other',
  linalg: 'other',
  conv: 'other',
  norm: 'other',
  losses: 'other',
};

/** The files store every value as a float; these inputs are class indices or conditions. */
const INPUT_DTYPES: Record<string, 'int32' | 'bool'> = { labels: 'int32', indices: 'int32', index: 'int32', cond: 'bool' };

function toTensor(name: string, g: GoldenTensor): Tensor {
  const dtype = INPUT_DTYPES[name];
  const values = dtype === 'int32' ? Int32Array.from(g.data) : dtype === 'bool' ? Uint8Array.from(g.data) : Float32Array.from(g.data);
  return tensor(values, g.shape);
}

const mapValues = <T, U>(record: Record<string, T>, fn: (value: T, key: string) => U): Record<string, U> =>
  Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v, k)]));

interface Evaluated {
  inputs: Inputs;
  outputs: Record<string, Tensor>;
  grads: Record<string, Tensor | null>;
}

/** Runs a case's op and the gradients of sum(output * grad_seed) with respect to each input in `grads`. */
function evaluate(c: GoldenCase): Evaluated {
  return tidy(() => {
    const inputs: Inputs = mapValues(c.inputs, (g, k) => toTensor(k, g));
    const wrt = Object.keys(c.grads ?? {});
    for (const k of wrt) inputs[k]!.requiresGrad = true;
    const result = GOLDEN_OPS[c.op]!(inputs, c.attrs);
    const outputs = result instanceof Tensor ? { y: result } : result;
    if (!wrt.length) return { inputs, outputs, grads: {} };
    const seeded = Object.keys(c.grad_seed ?? {});
    const gradOutputs = seeded.map((k) => toTensor(k, c.grad_seed![k]!));
    const found = grad(
      seeded.map((k) => outputs[k]!),
      wrt.map((k) => inputs[k]!),
      { gradOutputs },
    );
    return { inputs, outputs, grads: Object.fromEntries(wrt.map((k, i) => [k, found[i] ?? null])) };
  });
}

function goldenCheck(c: GoldenCase, kind: keyof Tolerances): Check {
  return {
    name: c.name,
    async run(t, tolerances) {
      const { inputs, outputs, grads } = evaluate(c);
      try {
        for (const [k, ref] of Object.entries(c.outputs)) {
          const out = outputs[k];
          if (!out) t.fail(`output '${k}' is missing`);
          else await expectClose(t, out, ref, tolerances[kind], `output ${k}`);
        }
        for (const [k, ref] of Object.entries(c.grads ?? {})) {
          const g = grads[k];
          if (!g) t.fail(`no gradient reached input '${k}'`);
          else await expectClose(t, g, ref, tolerances[kind], `gradient of ${k}`);
        }
        for (const [k, ref] of Object.entries(c.inputs)) {
          const stored = { shape: ref.shape, data: Float32Array.from(ref.data) };
          await expectClose(t, inputs[k]!, stored, 0, `input ${k} after the call (kernels must not write their inputs)`);
        }
      } finally {
        dispose([inputs, outputs, grads]);
      }
    },
  };
}

export function goldenChecks(): Check[] {
  return Object.entries(FILES).flatMap(([file, kind]) => loadGolden(file).map((c) => goldenCheck(c, kind)));
}
