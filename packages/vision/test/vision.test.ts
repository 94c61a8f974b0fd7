import test from 'ava';
import '@fovea/backend-js';
import { crossEntropy, manualSeed, randn, tensor } from '@fovea/core';
import { hostTensor } from '@fovea/data';
import { SGD } from '@fovea/optim';
import {
  classify, extractFeatures, fineTuneGroups, freezeBackbone, IMAGENET_CLASSES, InputTooSmallError, preprocess, transfer, unfreeze,
} from '../src/index.js';
import { Tiny } from './tiny.js';

const image = (c: number, h: number, w: number) => hostTensor(Uint8Array.from({ length: c * h * w }, (_, i) => (i * 37) % 256), [c, h, w]);

test('ImageNet preprocessing: shorter side to 256, centre crop 224, [0, 1] then normalised, any channel count to RGB', (t) => {
  const x = preprocess([image(3, 300, 400), image(1, 256, 256)]);
  t.deepEqual(x.shape, [2, 3, 224, 224]);
  const v = x.dataSync();
  t.true(v.every((p) => p >= -2.2 && p <= 2.7), 'within the normalised range of [0, 1] pixels');
  const small = preprocess(image(4, 40, 40), { resize: 32, crop: 32 });
  t.deepEqual(small.shape, [1, 3, 32, 32]);
  t.is(IMAGENET_CLASSES.length, 1000);
  t.is(IMAGENET_CLASSES[1], 'goldfish');
});

test('classify gives the top-k classes with probabilities, restores the training mode, and names the labels', (t) => {
  manualSeed(1);
  const model = new Tiny(4);
  const [preds] = classify(model, randn([1, 3, 8, 8]), { topk: 3, labels: ['a', 'b', 'c', 'd'] });
  t.is(preds!.length, 3);
  t.true(preds![0]!.probability >= preds![1]!.probability && preds![1]!.probability >= preds![2]!.probability);
  t.true(model.training, 'training mode restored');
  const both = classify(model, [image(3, 20, 20), image(3, 24, 30)], { resize: 16, crop: 16, topk: 1 });
  t.is(both.length, 2);
  t.regex(both[0]![0]!.label, /^class \d$/);
  t.throws(() => classify(model, randn([1, 3, 8, 8]), { labels: ['x'] }), { message: /1 labels for a model with 4 classes/ });
  const err = t.throws(() => classify(model, randn([1, 3, 2, 2])), { instanceOf: InputTooSmallError });
  t.regex(err!.message, /at least 3x3/);
});

test('forwardFeatures / extractFeatures give what the head reads', (t) => {
  const model = new Tiny(4);
  t.deepEqual(extractFeatures(model, randn([2, 3, 9, 9])).shape, [2, 8]);
});

test('transfer learning: new head for C classes, frozen backbone, then fine-tuning with the backbone at 1/10 of the head LR', (t) => {
  manualSeed(2);
  const model = new Tiny(1000);
  const convBefore = Array.from(model.conv.weight.dataSync());
  transfer(model, 3);
  t.is(model.numClasses, 3);
  t.deepEqual(model.call(randn([2, 3, 8, 8])).shape, [2, 3]);
  t.true(model.backboneParameters().every((p) => !p.requiresGrad) && model.headParameters().every((p) => p.requiresGrad));

  const x = randn([4, 3, 8, 8]);
  const labels = tensor(new Int32Array([0, 1, 2, 0]), [4]);
  const headOnly = fineTuneGroups(model, { lr: 0.1 });
  t.deepEqual(headOnly.map((g) => g.lr), [0.1], 'only the head trains while frozen');
  const opt = new SGD(headOnly, { lr: 0.1 });
  model.zeroGrad();
  crossEntropy(model.call(x), labels).backward();
  opt.step();
  t.deepEqual(Array.from(model.conv.weight.dataSync()), convBefore, 'the frozen backbone did not move');

  unfreeze(model);
  const groups = fineTuneGroups(model, { lr: 0.01 });
  t.deepEqual(groups.map((g) => g.lr), [0.001, 0.01]);
  t.is(groups[0]!.params.length, 2);
  t.is(groups[1]!.params.length, 2);
  freezeBackbone(model);
  t.true(model.backboneParameters().every((p) => !p.requiresGrad));
});
