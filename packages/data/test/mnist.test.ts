import '@fovea/backend-js';
import test from 'ava';
import { Compose, DataLoader, MNIST, Normalize, ToFloat, randomSplit, withTransform } from '../src/index.js';
import { Generator } from '@fovea/core';

test('MNIST exposes the 10,000 digits of the npm package, labels 0–9, pixels 0–255', (t) => {
  const mnist = new MNIST();
  t.is(mnist.length, 10000);
  const counts = new Array(10).fill(0);
  for (const label of mnist.labels) counts[label]++;
  t.deepEqual(counts.map((c) => c > 800), new Array(10).fill(true));
  t.is(counts.reduce((a, b) => a + b), 10000);
  let [min, max] = [255, 0];
  for (const v of mnist.images) [min, max] = [Math.min(min, v), Math.max(max, v)];
  t.deepEqual([min, max], [0, 255]);
  const [image, label] = mnist.getItem(0);
  t.deepEqual(image.shape, [1, 28, 28]);
  t.true(image.data instanceof Uint8Array);
  t.is(label, 0);
  t.is(mnist.getItem(9999)[1], 9);
  // a digit has ink: a good share of its pixels are bright
  t.true(image.data.filter((v) => v > 128).length > 50);
});

test('MNIST through ToFloat and a loader: float32 batches in [0, 1], int32 labels', async (t) => {
  const mnist = new MNIST({ transform: new ToFloat() });
  const [train, val] = randomSplit(mnist, [8000, 2000], new Generator(0));
  t.is(train!.length, 8000);
  t.is(val!.length, 2000);
  const loader = new DataLoader(train!, { batchSize: 64, shuffle: true, seed: 1 });
  t.is(loader.length, 125);
  for await (const [x, y] of loader) {
    t.deepEqual(x.shape, [64, 1, 28, 28]);
    t.is(x.dtype, 'float32');
    t.is(y.dtype, 'int32');
    const xs = x.dataSync();
    t.true(xs.every((v) => v >= 0 && v <= 1));
    t.true(xs.some((v) => v === 1));
    t.true((y.dataSync() as Int32Array).every((v) => v >= 0 && v <= 9));
    break;
  }
});

test('normalising with MNIST statistics fitted on the training split', async (t) => {
  const [train] = randomSplit(new MNIST({ transform: new ToFloat() }), [0.8, 0.2], new Generator(0));
  const norm = await Normalize.fit(train!);
  t.true(Math.abs(norm.mean[0]! - 0.1307) < 0.01, `mean ${norm.mean[0]}`);
  t.true(Math.abs(norm.std[0]! - 0.3081) < 0.01, `std ${norm.std[0]}`);
  const normalised = withTransform(train!, new Compose([norm]));
  const [x] = normalised.getItem(0) as [{ data: Float32Array }, number];
  t.true(x.data instanceof Float32Array);
});
