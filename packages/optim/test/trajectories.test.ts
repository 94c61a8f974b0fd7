import '@fovea/backend-js';
import { readFileSync } from 'node:fs';
import test from 'ava';
import { matmul, tensor, type Tensor } from '@fovea/core';
import { relativeError } from '@fovea/testkit';
import { Adagrad, Adam, AdamW, LBFGS, RMSprop, SGD, type Optimizer } from '../src/index.js';

interface G {
  shape: number[];
  data: number[];
}
interface Case {
  name: string;
  op: string;
  attrs: Record<string, unknown>;
  inputs: { A: G; b: G; w0: G };
  trajectory?: number[][];
  final_loss?: number;
}

const cases: Case[] = JSON.parse(readFileSync(new URL('data/optimizers.json', import.meta.url), 'utf8')).cases;

const camel = (attrs: Record<string, unknown>) => Object.fromEntries(Object.entries(attrs).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]));

const optimizers: Record<string, (params: Tensor[], options: any) => Optimizer<any>> = {
  sgd: (p, o) => new SGD(p, o),
  adagrad: (p, o) => new Adagrad(p, o),
  rmsprop: (p, o) => new RMSprop(p, o),
  adam: (p, o) => new Adam(p, o),
  adamw: (p, o) => new AdamW(p, o),
};

/** The golden objective: sum((A·w − b)²) + 0.1·sum(w⁴). */
function problem(c: Case) {
  const A = tensor(c.inputs.A.data, c.inputs.A.shape);
  const b = tensor(c.inputs.b.data);
  const w = tensor(c.inputs.w0.data).requiresGrad_();
  const loss = () => {
    const r = matmul(A, w).sub(b);
    return r.mul(r).sum().add(w.pow(4).sum().mul(0.1));
  };
  return { w, loss, dispose: () => [A, b, w].forEach((t) => t.dispose()) };
}

for (const c of cases.filter((c) => c.trajectory)) {
  test(`${c.name} follows PyTorch's 5-step trajectory to 1e-5`, (t) => {
    const { w, loss, dispose } = problem(c);
    const opt = optimizers[c.op]!([w], camel(c.attrs));
    c.trajectory!.forEach((expected, step) => {
      opt.zeroGrad();
      loss().backward();
      opt.step();
      const err = relativeError(w.dataSync(), expected);
      t.true(err <= 1e-5, `step ${step + 1}: relative error ${err.toExponential(2)}`);
    });
    opt.zeroGrad();
    opt.disposeState();
    dispose();
  });
}

test("L-BFGS with strong-Wolfe line search reaches PyTorch's final loss within 1e-6", async (t) => {
  const c = cases.find((c) => c.op === 'lbfgs')!;
  const { w, loss, dispose } = problem(c);
  const opt = new LBFGS([w], { lr: 1, maxIter: 20, historySize: 10, lineSearch: 'strongWolfe' });
  const initial = await opt.step(() => {
    opt.zeroGrad();
    const l = loss();
    l.backward();
    return l;
  });
  t.true(initial > c.final_loss!);
  const final = loss().item();
  t.true(Math.abs(final - c.final_loss!) <= 1e-6, `final loss ${final}, PyTorch ${c.final_loss}`);
  opt.zeroGrad();
  dispose();
});
