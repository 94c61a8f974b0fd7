import test from 'ava';
import '@fovea/backend-js';
import { models, noGrad, zeros } from '@fovea/core';
import { StateDictError } from '@fovea/nn';
import { InputTooSmallError } from '@fovea/vision';
import '../src/index.js';

test('SqueezeNet 1.0 weights do not load into 1.1: typed error, model unchanged', (t) => {
  const v11 = models.create('squeezenet1_1');
  const v10 = models.create('squeezenet1_0');
  const before = Array.from(v11.stateDict().get('features.0.weight')!.dataSync());
  const err = t.throws(() => v11.loadStateDict(v10.stateDict()), { instanceOf: StateDictError });
  t.deepEqual(err!.report.mismatched.find((m) => m.key === 'features.0.weight'), { key: 'features.0.weight', expected: [64, 3, 3, 3], received: [96, 3, 7, 7] });
  t.deepEqual(Array.from(v11.stateDict().get('features.0.weight')!.dataSync()), before);
});

test('too-small input names the minimum; the minimum itself runs (ceil-mode pools)', (t) => {
  for (const [name, min] of [['squeezenet1_0', 21], ['squeezenet1_1', 17]] as const) {
    const model = models.create(name, { numClasses: 4 }).eval();
    const err = t.throws(() => model.call(zeros([1, 3, min - 1, min + 5])), { instanceOf: InputTooSmallError });
    t.is(err!.minimum, min);
    t.deepEqual(noGrad(() => model.call(zeros([1, 3, min, min]))).shape, [1, 4]);
  }
});

test('replaceHead swaps the final 1x1 conv block for C classes', (t) => {
  const model = models.create('squeezenet1_1');
  model.replaceHead(7);
  t.deepEqual(model.stateDict().get('classifier.1.weight')!.shape, [7, 512, 1, 1]);
  t.deepEqual(noGrad(() => model.eval().call(zeros([2, 3, 32, 32]))).shape, [2, 7]);
});
