/**
 * Fused ops against the ops they fuse: on the backend under test, `fusedConv2d`'s value and the
 * gradients of every input equal those of conv2d → + bias → + residual → activation. (The
 * finite-difference checks are in `gradcheck`, the bad inputs in `errors`.)
 */
import * as fv from '@fovea/core';
import type { Tensor } from '@fovea/core';
import type { Check } from '../check.js';
import { expectClose } from '../compare.js';

interface FusedCase {
  readonly name: string;
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly bias: boolean;
  readonly residual: boolean;
  readonly activation: fv.FusedActivation;
  readonly conv?: fv.Conv2dOptions;
}

const all = { bias: true, residual: true, activation: 'relu' } as const;

const CASES: readonly FusedCase[] = [
  { name: 'relu, bias and residual', x: [2, 3, 5, 5], w: [4, 3, 3, 3], ...all, conv: { padding: 1 } },
  { name: 'bias only', x: [2, 3, 5, 5], w: [4, 3, 3, 3], bias: true, residual: false, activation: 'none' },
  { name: 'relu only', x: [1, 3, 5, 4], w: [2, 3, 2, 2], bias: false, residual: false, activation: 'relu' },
  { name: 'residual without bias', x: [1, 2, 4, 4], w: [3, 2, 3, 3], bias: false, residual: true, activation: 'none', conv: { padding: 1 } },
  { name: 'relu and residual without bias', x: [1, 2, 4, 4], w: [3, 2, 3, 3], bias: false, residual: true, activation: 'relu', conv: { padding: 1 } },
  { name: 'groups 2', x: [1, 4, 6, 6], w: [6, 2, 3, 3], ...all, conv: { groups: 2, padding: 1 } },
  { name: 'depthwise', x: [2, 3, 5, 5], w: [3, 1, 3, 3], ...all, conv: { groups: 3, padding: 1 } },
  { name: 'stride 2 and uneven padding', x: [2, 2, 7, 6], w: [3, 2, 3, 3], ...all, conv: { stride: 2, padding: [1, 0] } },
  { name: 'dilation 2', x: [1, 2, 7, 7], w: [2, 2, 3, 3], ...all, conv: { dilation: 2, padding: 2 } },
  { name: '1x1 convolution', x: [2, 5, 3, 4], w: [7, 5, 1, 1], ...all },
  { name: '1x1 convolution with stride 2', x: [1, 4, 5, 5], w: [6, 4, 1, 1], ...all, conv: { stride: 2 } },
  { name: 'wider than a tile', x: [2, 24, 9, 10], w: [40, 24, 3, 3], ...all, conv: { padding: 1 } },
  { name: 'empty batch', x: [0, 2, 4, 4], w: [3, 2, 3, 3], ...all, conv: { padding: 1 } },
];

/** The case's inputs, drawn from a fixed seed, all requiring grad; the gradient seed of the output. */
function inputsOf(c: FusedCase): { inputs: Tensor[]; seed: Tensor } {
  return fv.tidy(() => {
    fv.manualSeed(4);
    const x = fv.randn(c.x);
    const w = fv.randn(c.w);
    const outShape = fv.conv2d(x, w, null, c.conv).shape;
    const inputs = [x, w, ...(c.bias ? [fv.randn([c.w[0]!])] : []), ...(c.residual ? [fv.randn(outShape)] : [])];
    for (const t of inputs) t.requiresGrad_();
    return { inputs, seed: fv.randn(outShape) };
  });
}

/** The output and the gradients of sum(output · seed) with respect to every input. */
function evaluate(c: FusedCase, inputs: Tensor[], seed: Tensor, fused: boolean): Tensor[] {
  return fv.tidy(() => {
    const [x, w, ...rest] = inputs as [Tensor, Tensor, ...Tensor[]];
    const bias = c.bias ? rest.shift()! : null;
    const residual = c.residual ? rest.shift()! : null;
    let y: Tensor;
    if (fused) y = fv.fusedConv2d(x, w, bias, { ...c.conv, activation: c.activation, residual });
    else {
      y = fv.conv2d(x, w, bias, c.conv);
      if (residual) y = fv.add(y, residual);
      if (c.activation === 'relu') y = fv.relu(y);
    }
    return [y, ...fv.grad([y], inputs, { gradOutputs: [seed] }).map((g) => g!)];
  });
}

const NAMES = ['output', 'gradient of x', 'gradient of w'];

export function fusedChecks(): Check[] {
  return CASES.map((c) => ({
    name: `fusedConv2d/${c.name}`,
    async run(t, tolerances) {
      const { inputs, seed } = inputsOf(c);
      const fused = evaluate(c, inputs, seed, true);
      const reference = evaluate(c, inputs, seed, false);
      const names = [...NAMES, ...(c.bias ? ['gradient of bias'] : []), ...(c.residual ? ['gradient of residual'] : [])];
      try {
        t.is(fused.length, names.length);
        for (const [i, out] of fused.entries()) {
          const ref = reference[i]!;
          await expectClose(t, out, { shape: ref.shape, data: await ref.data() }, tolerances.other, names[i]!);
        }
      } finally {
        fv.dispose([inputs, seed, fused, reference]);
      }
    },
  }));
}
