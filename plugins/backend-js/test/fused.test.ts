import test from 'ava';
import { kernels } from '../src/index.js';
import { maxError, randomTensor, runKernel } from './helpers.js';

const conv = { stride: [2, 1], padding: [1, 1], dilation: [1, 1], groups: 2 };
const f32 = (shape: number[]) => [{ shape, dtype: 'float32' as const }];
const [xShape, wShape, yShape] = [[2, 4, 5, 4], [6, 2, 3, 3], [2, 6, 3, 4]];
const plane = yShape[2]! * yShape[3]!;

/** conv2d's kernel, then the epilogue written out element by element. */
function reference(bias: Float32Array | null, residual: Float32Array | null, relu: boolean): Float32Array {
  const [y] = runKernel(kernels.conv2d!, [randomTensor(xShape, 1), randomTensor(wShape, 2)], conv, f32(yShape));
  return (y!.values as Float32Array).map((v, i) => {
    const z = v + (bias ? bias[Math.floor(i / plane) % yShape[1]!]! : 0) + (residual ? residual[i]! : 0);
    return relu && z < 0 ? 0 : z;
  });
}

for (const [hasBias, hasResidual, activation] of [[true, true, 'relu'], [false, true, 'relu'], [true, false, 'none'], [false, false, 'relu']] as const) {
  test(`fusedConv2d kernel equals conv2d's with bias=${hasBias}, residual=${hasResidual}, ${activation}`, (t) => {
    const bias = randomTensor([6], 3);
    const residual = randomTensor(yShape, 4);
    // A NaN in the residual stays NaN through relu, as the relu kernel keeps it.
    residual.values[5] = NaN;
    const inputs = [randomTensor(xShape, 1), randomTensor(wShape, 2), ...(hasBias ? [bias] : []), ...(hasResidual ? [residual] : [])];
    const [y] = runKernel(kernels.fusedConv2d!, inputs, { ...conv, hasBias, hasResidual, activation }, f32(yShape));
    const expected = reference(hasBias ? (bias.values as Float32Array) : null, hasResidual ? (residual.values as Float32Array) : null, activation === 'relu');
    t.true(maxError(y!.values, expected) < 1e-6);
    t.is(Number.isNaN(y!.values[5]), hasResidual);
  });
}
