import test from 'ava';
import '@fovea/backend-js';
import { models, noGrad, ShapeError, tensor, zeros } from '@fovea/core';
import { loadWeights } from '@fovea/io';
import { StateDictError } from '@fovea/nn';
import { InputTooSmallError } from '@fovea/vision';
import { readFileSync } from 'node:fs';
import { inputValues, logitsError } from '../../../tools/parity/harness.js';
import { minInputSize } from '../src/index.js';

const fixtures = new URL('./fixtures/', import.meta.url);

test('real torchvision-style weights round-trip: a float16 safetensors file written by PyTorch gives its logits', async (t) => {
  const model = models.create('lenet5');
  const report = await loadWeights(model, new URL('lenet5.safetensors', fixtures).pathname);
  t.deepEqual([report.missing, report.unexpected, report.mismatched], [[], [], []]);
  const expected = JSON.parse(readFileSync(new URL('lenet5-safetensors.json', fixtures), 'utf8')) as { input: number[]; logits: number[] };
  const logits = noGrad(() => model.eval().call(tensor(inputValues(expected.input), expected.input)).dataSync());
  const err = logitsError(logits, expected.logits);
  t.true(err.relative < 1e-5, `relative error ${err.relative}`);
});

test('input smaller than the network is a typed error naming the minimum size', (t) => {
  const alexnet = models.create('alexnet', { initWeights: false });
  const err = t.throws(() => alexnet.call(zeros([1, 3, 62, 62])), { instanceOf: InputTooSmallError });
  t.is(err!.minimum, 63);
  t.regex(err!.message, /alexnet: input 62x62 is too small; this network needs at least 63x63/);
  alexnet.dispose();
  t.throws(() => models.create('lenet5').call(zeros([1, 1, 28, 28])), { instanceOf: ShapeError, message: /expected 32x32 input/ });
  t.throws(() => models.create('lenet5').call(zeros([1, 3, 32, 32])), { instanceOf: ShapeError, message: /1 channels/ });
});

test('minimum sizes follow from the windows (floor mode)', (t) => {
  t.is(minInputSize([[2, 2, 0], [2, 2, 0]]), 4);
  t.is(minInputSize([[11, 4, 2], [3, 2, 0]]), 15);
  t.is(minInputSize([[3, 1, 1]]), 1);
});

test("a state dict for another architecture is refused and the model keeps its weights", (t) => {
  const lenet = models.create('lenet5');
  const nin = models.create('nin', { numClasses: 10 });
  const before = Array.from(lenet.stateDict().get('features.0.weight')!.dataSync());
  const err = t.throws(() => lenet.loadStateDict(nin.stateDict()), { instanceOf: StateDictError });
  t.true(err!.report.missing.includes('features.0.weight') && err!.report.unexpected.includes('features.0.0.weight'), err!.message.slice(0, 300));
  t.deepEqual(Array.from(lenet.stateDict().get('features.0.weight')!.dataSync()), before);
  nin.dispose();
});

test('registered names', (t) => {
  t.deepEqual(models.list('classic'), ['alexnet', 'lenet5', 'nin', 'vgg11', 'vgg11_bn', 'vgg13', 'vgg13_bn', 'vgg16', 'vgg16_bn', 'vgg19', 'vgg19_bn', 'zfnet']);
});

test('replaceHead swaps the last classifier layer; forwardFeatures gives the 84 features it reads', (t) => {
  const lenet = models.create('lenet5');
  const x = zeros([2, 1, 32, 32]);
  t.deepEqual(noGrad(() => lenet.forwardFeatures(x)).shape, [2, 84]);
  lenet.replaceHead(3);
  t.deepEqual(lenet.stateDict().get('classifier.4.weight')!.shape, [3, 84]);
  t.deepEqual(noGrad(() => lenet.call(x)).shape, [2, 3]);
  t.is(lenet.headParameters().length, 2);
});
