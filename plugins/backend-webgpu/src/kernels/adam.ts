import type { AdamStepAttrs, KernelImpl } from '@fovea/core';
import type { GPUData } from '../gpu-data.js';
import { Uniforms, type Program } from '../program.js';
import { sizeOfShape } from '../shape-utils.js';
import { bindings, floatBinding, grid, perElementMain } from '../wgsl.js';
import type { Ctx } from './run.js';
import { IS_NAN } from './special-values.js';

/**
 * The scalars of one step, as the op's decomposition rounds them to float32 (each is a scalar
 * tensor there): the weight and gradient decay, β and 1 − β, the bias corrections.
 */
function adamUniforms(count: number, a: AdamStepAttrs): Uniforms {
  return new Uniforms()
    .i32('count', count)
    .f32('keep', 1 - a.lr * a.weightDecay)
    .f32('wd', a.weightDecay)
    .f32('b1', a.beta1)
    .f32('c1', 1 - a.beta1)
    .f32('b2', a.beta2)
    .f32('c2', 1 - a.beta2)
    .f32('corr2', Math.sqrt(1 - a.beta2 ** a.step))
    .f32('eps', a.eps)
    .f32('stepSize', a.lr / (1 - a.beta1 ** a.step));
}

const l2 = (a: AdamStepAttrs) => !!a.weightDecay && !a.decoupled;

/** The gradient with L2 weight decay added, when the step has it (`g` in the decomposition). */
const gradient = (a: AdamStepAttrs) => (l2(a) ? 'f32(grad[i]) + f32(p[i]) * u.wd' : 'f32(grad[i])');

/** AMSGrad's first pass: v and its running maximum (NaN propagates, as in `maximum`). */
function secondMoment(a: AdamStepAttrs, count: number, uniforms: Uniforms): Program {
  const body = `  let g = ${gradient(a)};
  let nv = f32(expAvgSq[i]) * u.b2 + (g * g) * u.c2;
  let old = f32(maxExpAvgSq[i]);
  v[i] = F(nv);
  vMax[i] = F(select(max(old, nv), old + nv, is_nan(old) || is_nan(nv)));`;
  const inputs = ['p', 'grad', 'expAvgSq', 'maxExpAvgSq'].map(floatBinding);
  return {
    key: `adam:amsgrad-v${l2(a) ? ':l2' : ''}`,
    wgsl: () => [bindings(inputs, [floatBinding('v'), floatBinding('vMax')], uniforms), IS_NAN, perElementMain(body)].join('\n'),
    uniforms,
    grid: grid(count),
  };
}

/**
 * The new parameter and m; v too when `withV` (else the second moment is read from `vIn`,
 * written by the first pass).
 */
function update(a: AdamStepAttrs, count: number, uniforms: Uniforms, withV: boolean): Program {
  const inputs = ['p', 'grad', 'expAvg', withV ? 'expAvgSq' : 'vIn'].map(floatBinding);
  const outputs = ['next', 'm', ...(withV ? ['v'] : [])].map(floatBinding);
  const body = `  let g = ${gradient(a)};
  let nm = f32(expAvg[i]) * u.b1 + g * u.c1;
  m[i] = F(nm);
${withV ? '  let nv = f32(expAvgSq[i]) * u.b2 + (g * g) * u.c2;\n  v[i] = F(nv);' : '  let nv = f32(vIn[i]);'}
  let denom = sqrt(nv) / u.corr2 + u.eps;
  next[i] = F(${a.weightDecay && a.decoupled ? 'f32(p[i]) * u.keep' : 'f32(p[i])'} - (nm / denom) * u.stepSize);`;
  const decay = !a.weightDecay ? '' : a.decoupled ? ':decoupled' : ':l2';
  return {
    key: `adam:update${decay}${withV ? '' : ':v-read'}`,
    wgsl: () => [bindings(inputs, outputs, uniforms), perElementMain(body)].join('\n'),
    uniforms,
    grid: grid(count),
  };
}

/**
 * One Adam step of a parameter in one pass over memory: outputs the new parameter, m and v.
 * With AMSGrad the maximum of v makes nine bindings, one more than WebGPU guarantees, so the
 * second moment and its maximum are written by a first pass and the update reads them.
 */
const adamStep: KernelImpl = (ctx: Ctx<AdamStepAttrs>) => {
  const a = ctx.attrs;
  const count = sizeOfShape(ctx.outputs[0]!.shape);
  const [p, grad, expAvg, expAvgSq, maxExpAvgSq] = ctx.inputs.map((i) => i.dataId);
  // Full precision whatever the storage: parameters and moments are the training's state.
  const alloc = () => ctx.backend.alloc(count, 'float32', true);
  const [next, m, v] = [alloc(), alloc(), alloc()];
  if (count === 0) return a.amsgrad ? [next, m, v, alloc()] : [next, m, v];
  const uniforms = adamUniforms(count, a);
  if (!a.amsgrad) {
    ctx.backend.run(update(a, count, uniforms, true), [p!, grad!, expAvg!, expAvgSq!], [next, m, v]);
    return [next, m, v];
  }
  const vMax: GPUData = alloc();
  ctx.backend.run(secondMoment(a, count, uniforms), [p!, grad!, expAvgSq!, maxExpAvgSq!], [v, vMax]);
  ctx.backend.run(update(a, count, uniforms, false), [p!, grad!, expAvg!, vMax], [next, m]);
  return [next, m, v, vMax];
};

export const adamKernels: Record<string, KernelImpl> = { adamStep };
