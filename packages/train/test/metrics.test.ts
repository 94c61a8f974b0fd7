import test from 'ava';
import { ValueError } from '@fovea/core';
import { ConfusionMatrix, TopKAccuracy, toMetric } from '../src/index.js';

// Three samples, four classes; labels 2, 0, 3.
const scores = [0.1, 0.2, 0.9, 0.0, /**/ 0.3, 0.5, 0.1, 0.4, /**/ 0.4, 0.3, 0.2, 0.1];
const labels = [2, 0, 3];

test('accuracy counts the argmax hits', (t) => {
  const m = toMetric('accuracy');
  m.update(scores, labels);
  t.is(m.name, 'accuracy');
  t.is(m.result(), 1 / 3);
});

test('topK counts labels among the k highest scores, accumulating over batches', (t) => {
  const m = new TopKAccuracy(3);
  m.update(scores, labels);
  t.is(m.result(), 2 / 3);
  m.update([0, 1, 2, 3], [0]);
  t.is(m.result(), 2 / 4);
  m.reset();
  t.true(Number.isNaN(m.result()));
  t.is(toMetric('top5').name, 'top5');
});

test('unknown metric names and labels out of range are ValueErrors', (t) => {
  t.throws(() => toMetric('f1'), { instanceOf: ValueError, message: /unknown metric 'f1'/ });
  t.throws(() => toMetric('accuracy').update(scores, [2, 0, 4]), { instanceOf: ValueError, message: /label 4 is outside \[0, 4\)/ });
  t.throws(() => toMetric('accuracy').update([1, 2, 3], [0, 1]), { instanceOf: ValueError });
});

test('confusion matrix: rows are true classes, columns predictions', (t) => {
  const cm = new ConfusionMatrix(4);
  cm.update(scores, labels);
  t.deepEqual(cm.counts, [
    [0, 1, 0, 0],
    [0, 0, 0, 0],
    [0, 0, 1, 0],
    [1, 0, 0, 0],
  ]);
  t.is(cm.accuracy(), 1 / 3);
  t.deepEqual(cm.recall(), [0, 0, 1, 0]);
  const text = cm.format();
  t.regex(text, /predicted/);
  t.is(text.split('\n').length, 3 + 4);
  t.regex(text.split('\n')[5]!, /^ {3}2 │ {3}0 {4}0 {4}1 {4}0 │ 100\.0%$/);
  t.throws(() => cm.update([1, 2], [0]), { instanceOf: ValueError, message: /expected 4 scores per sample, got 2/ });
});
