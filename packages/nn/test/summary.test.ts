import '@fovea/backend-js';
import test from 'ava';
import { memory } from '@fovea/core';
import { BatchNorm1d, Embedding, Flatten, Linear, ReLU, Sequential, summary } from '../src/index.js';

test("the notes' Keras MLP: Flatten → Dense(100) → Dense(10) on 28×28 has 0 / 78,500 / 1,010 parameters", (t) => {
  const model = new Sequential(new Flatten(), new Linear(784, 100), new ReLU(), new Linear(100, 10));
  const before = memory().numTensors;
  const table = summary(model, [28, 28]);
  t.is(memory().numTensors, before);
  const rows = table.split('\n').filter((l) => /^\d+ \(/.test(l));
  t.deepEqual(rows.map((r) => r.split(/\s{2,}/)), [
    ['0 (Flatten)', '(None, 784)', '0'],
    ['1 (Linear)', '(None, 100)', '78,500'],
    ['2 (ReLU)', '(None, 100)', '0'],
    ['3 (Linear)', '(None, 10)', '1,010'],
  ]);
  t.regex(table, /^Model: "Sequential"/);
  t.regex(table, /Total params: 79,510\nTrainable params: 79,510\nNon-trainable params: 0/);
});

test('summary counts frozen parameters as non-trainable, restores training mode and takes int inputs', (t) => {
  const model = new Sequential(new Embedding(10, 4), new Flatten(), new BatchNorm1d(12), new Linear(12, 2));
  (model.at(0) as Embedding).requiresGrad_(false);
  const table = summary(model, [3], { dtype: 'int32', name: 'tagger' });
  t.regex(table, /Model: "tagger"/);
  t.regex(table, /2 \(BatchNorm1d\)\s+\(None, 12\)\s+24/);
  t.regex(table, /Total params: 90\nTrainable params: 50\nNon-trainable params: 40/);
  t.true(model.training && model.modules().every((m) => m.training));
});
