/**
 * Bad inputs: each must throw its typed error, leave no tensor behind and leave the engine
 * usable on the same backend.
 */
import * as fv from '@fovea/core';
import type { Check } from '../check.js';

type ErrorClass = new (...args: any[]) => Error;

interface ErrorCase {
  readonly name: string;
  readonly error: ErrorClass;
  /** The bad call; a promise it returns must reject. */
  readonly fn: () => unknown;
}

const z = (...shape: number[]) => fv.zeros(shape);
const x4 = () => z(1, 1, 4, 4);

/** An op registered without kernels or a decomposition, so no backend can run it. */
function kernelless() {
  fv.registerOp({ name: 'testkit.kernelless', infer: ([x]) => [x!] }, { replace: true });
  return fv.runOp('testkit.kernelless', [z(1)], {});
}

function disposed() {
  const t = fv.ones([2]);
  t.dispose();
  return t;
}

const CASES: ErrorCase[] = [
  { name: 'matmul inner dims differ', error: fv.ShapeError, fn: () => fv.matmul(z(2, 3), z(4, 5)) },
  { name: 'matmul batch dims do not broadcast', error: fv.ShapeError, fn: () => fv.matmul(z(2, 2, 3), z(3, 3, 4)) },
  { name: 'conv2d channel mismatch', error: fv.ShapeError, fn: () => fv.conv2d(z(1, 3, 5, 5), z(2, 4, 3, 3)) },
  { name: 'add of shapes that do not broadcast', error: fv.ShapeError, fn: () => fv.add(z(2, 3), z(4)) },
  { name: 'reshape to another size', error: fv.ShapeError, fn: () => fv.reshape(z(2, 3), [4, 2]) },
  { name: 'conv2d kernel larger than the padded input', error: fv.ShapeError, fn: () => fv.conv2d(z(1, 1, 2, 2), z(1, 1, 3, 3), null, { padding: 0 }) },
  { name: 'maxPool2d window larger than the padded input', error: fv.ShapeError, fn: () => fv.maxPool2d(z(1, 1, 2, 2), { kernelSize: 5, padding: 1 }) },
  { name: 'conv2d negative stride', error: fv.ValueError, fn: () => fv.conv2d(x4(), z(1, 1, 2, 2), null, { stride: -1 }) },
  { name: 'maxPool2d negative stride', error: fv.ValueError, fn: () => fv.maxPool2d(x4(), { kernelSize: 2, stride: -2 }) },
  { name: 'avgPool2d negative padding', error: fv.ValueError, fn: () => fv.avgPool2d(x4(), { kernelSize: 2, padding: -1 }) },
  { name: 'leakyRelu NaN slope', error: fv.ValueError, fn: () => fv.leakyRelu(z(3), NaN) },
  { name: 'dropout NaN p', error: fv.ValueError, fn: () => fv.dropout(z(3), NaN) },
  { name: 'dropout p above 1', error: fv.ValueError, fn: () => fv.dropout(z(3), 1.5) },
  { name: 'batchNorm NaN eps', error: fv.ValueError, fn: () => fv.batchNorm(z(2, 3), null, null, null, null, { training: true, eps: NaN }) },
  { name: 'where with a float condition', error: fv.DTypeError, fn: () => fv.where(z(3), z(3), z(3)) },
  { name: 'gather with a float index', error: fv.DTypeError, fn: () => fv.gather(z(2, 3), 1, z(2, 1)) },
  { name: 'embedding with float indices', error: fv.DTypeError, fn: () => fv.embedding(z(2), z(4, 3)) },
  { name: 'crossEntropy with float labels', error: fv.DTypeError, fn: () => fv.crossEntropy(z(2, 3), z(2)) },
  { name: 'requiresGrad on an int32 tensor', error: fv.DTypeError, fn: () => fv.tensor(Int32Array.from([1])).requiresGrad_() },
  { name: 'conv2d channels that do not fit the groups', error: fv.ShapeError, fn: () => fv.conv2d(z(1, 3, 5, 5), z(2, 1, 3, 3), null, { groups: 2 }) },
  { name: 'conv2d bias of the wrong length', error: fv.ShapeError, fn: () => fv.conv2d(z(1, 2, 5, 5), z(2, 2, 3, 3), z(3)) },
  { name: 'fusedConv2d bias of the wrong length', error: fv.ShapeError, fn: () => fv.fusedConv2d(z(1, 2, 5, 5), z(2, 2, 3, 3), z(3)) },
  { name: 'fusedConv2d residual of the wrong shape', error: fv.ShapeError, fn: () => fv.fusedConv2d(z(1, 2, 5, 5), z(2, 2, 3, 3), z(2), { residual: z(1, 2, 5, 5) }) },
  { name: 'fusedConv2d unknown activation', error: fv.ValueError, fn: () => fv.fusedConv2d(z(1, 2, 5, 5), z(2, 2, 3, 3), null, { activation: 'gelu' as 'relu' }) },
  { name: 'fusedConv2d channels that do not fit the groups', error: fv.ShapeError, fn: () => fv.fusedConv2d(z(1, 3, 5, 5), z(2, 1, 3, 3), z(2), { groups: 2, activation: 'relu' }) },
  { name: 'conv2d fractional stride', error: fv.ValueError, fn: () => fv.conv2d(x4(), z(1, 1, 2, 2), null, { stride: 1.5 }) },
  { name: 'maxPool2d padding above half the kernel', error: fv.ValueError, fn: () => fv.maxPool2d(x4(), { kernelSize: 2, padding: 2 }) },
  { name: 'linear features mismatch', error: fv.ShapeError, fn: () => fv.linear(z(2, 3), z(4, 5)) },
  { name: 'concat shapes differ outside the dim', error: fv.ShapeError, fn: () => fv.concat([z(2, 3), z(2, 4)], 0) },
  { name: 'concat dtypes differ', error: fv.DTypeError, fn: () => fv.concat([z(2, 3), fv.zeros([2, 3], { dtype: 'int32' })], 0) },
  { name: 'expand to an incompatible shape', error: fv.ShapeError, fn: () => fv.expand(z(2, 3), [4, 3]) },
  { name: 'ragged nested array', error: fv.ShapeError, fn: () => fv.tensor([[1, 2], [3]]) },
  { name: 'slice step 0', error: fv.ValueError, fn: () => fv.slice(z(4), [0], [4], [0]) },
  { name: 'permute dims that are not a permutation', error: fv.ValueError, fn: () => fv.permute(z(2, 3), [0, 0]) },
  { name: 'reduction dim out of range', error: fv.ValueError, fn: () => fv.sum(z(2, 3), 2) },
  { name: 'negative pad', error: fv.ValueError, fn: () => fv.pad(z(2, 3), [-1, 0]) },
  { name: 'crossEntropy label count mismatch', error: fv.ShapeError, fn: () => fv.crossEntropy(z(2, 3), fv.tensor(Int32Array.from([0, 1, 2]))) },
  { name: 'unknown loss reduction', error: fv.ValueError, fn: () => fv.mseLoss(z(2), z(2), { reduction: 'avg' as 'mean' }) },
  { name: 'batchNorm training on one value per channel', error: fv.ValueError, fn: () => fv.batchNorm(z(1, 3), null, null, null, null, { training: true }) },
  { name: 'backward of a non-scalar without a gradient', error: fv.GradError, fn: () => fv.mul(fv.ones([2], { requiresGrad: true }), 2).backward() },
  { name: 'unknown op', error: fv.UnknownOpError, fn: () => fv.runOp('noSuchOp', [z(1)], {}) },
  { name: 'op with neither a kernel nor a decomposition', error: fv.KernelNotFoundError, fn: kernelless },
  { name: 'unknown backend', error: fv.BackendError, fn: () => fv.setBackend('no-such-backend') },
  { name: 'op on a disposed tensor', error: fv.DisposedError, fn: () => fv.add(disposed(), 1) },
  { name: 'reading a disposed tensor', error: fv.DisposedError, fn: () => disposed().data() },
];

/** Runs `fn` in a tidy scope, then waits for the promise it may have returned. */
async function attempt(fn: () => unknown): Promise<void> {
  const [result] = fv.tidy(() => [fn()]);
  await result;
}

export function errorChecks(backend: string): Check[] {
  return CASES.map((c) => ({
    name: c.name,
    async run(t) {
      const before = fv.memory().numTensors;
      await t.throwsAsync(() => attempt(c.fn), { instanceOf: c.error });
      t.is(fv.memory().numTensors, before, 'no tensor is left behind');
      t.is(fv.getBackendName(), backend, 'the backend is unchanged');
      const sum = fv.tidy(() => fv.add(fv.ones([2]), 1));
      t.deepEqual([...(await sum.data())], [2, 2], 'the engine still computes');
      sum.dispose();
    },
  }));
}
