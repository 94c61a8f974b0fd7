/** tfjs-webgpu (@tensorflow/tfjs-backend-webgpu 4.22) over the same Dawn instance. */
import * as tf from '@tensorflow/tfjs-core';
// TF.js's gradients, imported as the @tensorflow/tfjs umbrella does (resolvable in the bundle).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import { makeInput, type Network } from '../../models/spec.js';
import { nhwc, tfInference, tfTrainable } from '../../rows/tfjs-net.js';
import type { Prepared, Row } from '../../workloads.js';
import { batchLabels, CHECKED_GRADIENTS, concatOutputs, gemmProbe, type GpuWorkload } from '../workloads.js';

function gemm(n: number): Prepared {
  const a = tf.tensor2d(makeInput([n, n], 1), [n, n]);
  const b = tf.tensor2d(makeInput([n, n], 2), [n, n]);
  const { begin, step } = gemmProbe(n);
  const output = async () => {
    const probe = tf.tidy(() => tf.stridedSlice(tf.matMul(a, b), [begin, begin], [n, n], [step, step]));
    const values = (await probe.data()) as Float32Array;
    probe.dispose();
    return values;
  };
  return { run: async () => void (await output()), output, dispose: () => tf.dispose([a, b]) };
}

/** One Adam step of the spec's ResNet with batch norm on batch statistics, as the zoo's model trains. */
function trainStep(net: Network): Prepared {
  const model = tfTrainable(net);
  const opt = tf.train.adam(1e-3, 0.9, 0.999, 1e-8);
  const x = nhwc(makeInput(net.input), net.input);
  const oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(batchLabels(net.input[0]), 'int32'), 1000) as tf.Tensor2D);
  const step = async () => {
    const loss = opt.minimize(() => model.loss(x, oneHot), true, model.variables)!;
    await loss.data();
    loss.dispose();
  };
  // The loss and the checked weight gradients (in Fovea's layouts) of one forward and backward.
  const output = async () => {
    const vars = CHECKED_GRADIENTS.map((layer) => model.weight(layer));
    const { value, grads } = tf.variableGrads(() => model.loss(x, oneHot), vars);
    const flat = tf.tidy(() => vars.map((v) => (v.rank === 4 ? tf.transpose(grads[v.name]!, [3, 2, 0, 1]) : grads[v.name]!))); // HWIO → OIHW
    const parts = [await value.data(), ...(await Promise.all(flat.map((g) => g.data())))];
    tf.dispose([value, ...flat, ...Object.values(grads)]);
    return concatOutputs(parts);
  };
  return {
    run: step,
    output,
    dispose: () => {
      opt.dispose();
      model.dispose();
      tf.dispose([x, oneHot]);
    },
  };
}

function prepare(w: GpuWorkload): Prepared {
  if (w.kind === 'gemm') return gemm(w.n);
  if (w.kind === 'train') return trainStep(w.net);
  const { run, logits, dispose } = tfInference(w.net);
  return { run, output: logits, dispose };
}

export async function tfjsWebgpuRow(): Promise<Row<GpuWorkload>> {
  const name = 'tfjs-webgpu';
  if (!(await tf.setBackend('webgpu'))) return { name, threads: 'GPU', prepare: async () => ({ skip: "TF.js's webgpu backend did not start" }) };
  await tf.ready();
  return { name, threads: `GPU (TF.js ${tf.version_core}, default flags)`, prepare: async (w) => prepare(w) };
}
