import test from 'ava';
import { Generator, ShapeError } from '@fovea/core';
import { PCA, hostTensor, symmetricEigen, type HostTensor } from '../src/index.js';

/** 2000 samples of x = A z + b with z ~ N(0, I): correlated, offset, with known covariance A Aᵀ. */
function correlated(): HostTensor[] {
  const g = new Generator(11);
  const A = [
    [2, 0, 0],
    [1.5, 0.5, 0],
    [-1, 0.3, 0.2],
  ];
  return Array.from({ length: 2000 }, () => {
    const z = [g.normal(), g.normal(), g.normal()];
    const x = A.map((row, i) => row.reduce((s, a, k) => s + a * z[k]!, 0) + [5, -3, 1][i]!);
    return hostTensor(Float32Array.from(x), [3, 1, 1]);
  });
}

function covariance(samples: HostTensor[]): number[][] {
  const d = samples[0]!.data.length;
  const mean = Array.from({ length: d }, (_, i) => samples.reduce((s, x) => s + x.data[i]!, 0) / samples.length);
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => samples.reduce((s, x) => s + (x.data[i]! - mean[i]!) * (x.data[j]! - mean[j]!), 0) / samples.length),
  );
}

test('symmetricEigen recovers a known decomposition', (t) => {
  const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
  [5, 3, 1].forEach((v, i) => t.true(Math.abs(values[i]! - v) < 1e-12));
  t.true(Math.abs(Math.abs(vectors[2]!) - 1) < 1e-12);
  t.true(Math.abs(Math.abs(vectors[3]!) - Math.SQRT1_2) < 1e-12 && Math.abs(vectors[3]! - vectors[4]!) < 1e-12);
});

test('symmetricEigen on a random 40x40 matrix: A v = λ v, orthonormal rows, descending', (t) => {
  const n = 40;
  const g = new Generator(8);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i * n + j] = a[j * n + i] = g.normal();
  const { values, vectors } = symmetricEigen(a, n);
  for (let r = 0; r < n; r++) {
    if (r > 0) t.true(values[r]! <= values[r - 1]!);
    for (let i = 0; i < n; i++) {
      let av = 0;
      for (let j = 0; j < n; j++) av += a[i * n + j]! * vectors[r * n + j]!;
      t.true(Math.abs(av - values[r]! * vectors[r * n + i]!) < 1e-10);
    }
    for (let q = 0; q < n; q++) {
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[r * n + j]! * vectors[q * n + j]!;
      t.true(Math.abs(dot - (r === q ? 1 : 0)) < 1e-10);
    }
  }
});

test('whitening decorrelates the training data: covariance ≈ identity', async (t) => {
  const train = correlated();
  const pca = await PCA.fit(train, { whiten: true });
  const cov = covariance(train.map((x) => pca.apply(x)));
  cov.forEach((row, i) => row.forEach((c, j) => t.true(Math.abs(c - (i === j ? 1 : 0)) < 1e-3, `cov[${i}][${j}] = ${c}`)));
});

test('PCA without whitening: diagonal covariance with decreasing variances; fewer components', async (t) => {
  const train = correlated();
  const pca = await PCA.fit(train);
  const cov = covariance(train.map((x) => pca.apply(x)));
  cov.forEach((row, i) => row.forEach((c, j) => i !== j && t.true(Math.abs(c) < 1e-3, `cov[${i}][${j}] = ${c}`)));
  t.true(cov[0]![0]! > cov[1]![1]! && cov[1]![1]! > cov[2]![2]!);
  cov.forEach((row, i) => t.true(Math.abs(row[i]! - pca.variances[i]!) < 1e-3));
  const top = await PCA.fit(train, { components: 1 });
  const y = top.apply(train[0]!);
  t.deepEqual(y.shape, [1]);
  t.true(Math.abs(y.data[0]! - pca.apply(train[0]!).data[0]!) < 1e-4);
  t.throws(() => pca.apply(hostTensor(new Float32Array(4), [4])), { instanceOf: ShapeError });
});
