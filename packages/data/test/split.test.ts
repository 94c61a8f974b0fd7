import test from 'ava';
import { Generator, ValueError } from '@fovea/core';
import { kFold, randomSplit, trainValTestSplit, type Dataset } from '../src/index.js';

const ids = (n: number): Dataset<number> => ({ length: n, getItem: (i) => i });
const items = (d: Dataset<number>) => Array.from({ length: d.length }, (_, i) => d.getItem(i) as number);

test('randomSplit: disjoint subsets covering the data, reproducible from the generator', (t) => {
  const [train, val] = randomSplit(ids(10000), [8000, 2000], new Generator(0));
  t.is(train!.length, 8000);
  t.is(val!.length, 2000);
  const all = [...items(train!), ...items(val!)].sort((a, b) => a - b);
  t.deepEqual(all, [...Array(10000).keys()]);
  const [again] = randomSplit(ids(10000), [8000, 2000], new Generator(0));
  t.deepEqual(items(again!), items(train!));
  t.notDeepEqual(items(randomSplit(ids(10000), [8000, 2000], new Generator(1))[0]!), items(train!));
});

test('randomSplit with fractions hands the remainder out from the first split', (t) => {
  t.deepEqual(randomSplit(ids(10), [0.33, 0.33, 0.34], new Generator(0)).map((s) => s.length), [4, 3, 3]);
  t.throws(() => randomSplit(ids(10), [5, 4]), { instanceOf: ValueError, message: /must add up to the 10 samples/ });
});

test('trainValTestSplit gives three disjoint parts', (t) => {
  const { train, val, test: testSet } = trainValTestSplit(ids(100), { val: 0.1, test: 0.2 }, new Generator(3));
  t.deepEqual([train.length, val.length, testSet.length], [70, 10, 20]);
  t.is(new Set([...items(train), ...items(val), ...items(testSet)]).size, 100);
  t.throws(() => trainValTestSplit(ids(10), { val: 0.5, test: 0.5 }), { instanceOf: ValueError });
});

test('kFold: every sample validates exactly once, never in its own training set', (t) => {
  const folds = kFold(ids(11), 5, { shuffle: true, generator: new Generator(2) });
  t.deepEqual(folds.map((f) => f.val.length), [3, 2, 2, 2, 2]);
  t.deepEqual(folds.flatMap((f) => items(f.val)).sort((a, b) => a - b), [...Array(11).keys()]);
  for (const f of folds) {
    t.is(f.train.length + f.val.length, 11);
    const val = new Set(items(f.val));
    t.true(items(f.train).every((i) => !val.has(i)));
  }
  t.deepEqual(items(kFold(ids(4), 2)[0]!.val), [0, 1]);
  t.throws(() => kFold(ids(4), 1), { instanceOf: ValueError });
});

test('stratified splits keep each class\'s share (§2.1)', (t) => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
  const classCounts = (d: Dataset<number>) => [0, 1, 2].map((c) => items(d).filter((i) => labels[i] === c).length);
  const { train, val, test: testSet } = trainValTestSplit(ids(100), { val: 0.1, test: 0.2, stratify: labels }, new Generator(4));
  t.deepEqual(classCounts(val), [6, 3, 1]);
  t.deepEqual(classCounts(testSet), [12, 6, 2]);
  t.deepEqual(classCounts(train), [42, 21, 7]);
  const folds = kFold(ids(100), 5, { shuffle: true, generator: new Generator(5), stratify: labels });
  for (const f of folds) t.deepEqual(classCounts(f.val), [12, 6, 2]);
  t.deepEqual(folds.flatMap((f) => items(f.val)).sort((a, b) => a - b), [...Array(100).keys()]);
  t.throws(() => kFold(ids(10), 2, { stratify: [0, 1] }), { instanceOf: ValueError, message: /2 labels for 10 samples/ });
});
