import '@fovea/backend-js';
import test from 'ava';
import { ValueError, memory, tensor, type Tensor } from '@fovea/core';
import { DataLoader, RandomCrop, TensorDataset, collate, hostTensor, withTransform, type Dataset, type HostTensor } from '../src/index.js';

/** Sample i is [[i, 10 + i] as float32, i as label]. */
function numbered(n: number): TensorDataset {
  const x = Float32Array.from({ length: 2 * n }, (_, k) => (k % 2 ? 10 + (k >> 1) : k >> 1));
  return new TensorDataset(hostTensor(x, [n, 2]), tensor(Int32Array.from({ length: n }, (_, i) => i), [n], { dtype: 'int32' }));
}

async function epoch(loader: DataLoader<any, any>): Promise<number[][]> {
  const out: number[][] = [];
  for await (const [, y] of loader) out.push([...(y as Tensor).dataSync()]);
  return out;
}

test('batches in order, the last one short unless dropLast', async (t) => {
  const loader = new DataLoader(numbered(10), { batchSize: 4 });
  t.is(loader.length, 3);
  const batches: [number[], number[]][] = [];
  for await (const [x, y] of loader) batches.push([x.shape as number[], [...y.dataSync()]]);
  t.deepEqual(batches, [
    [[4, 2], [0, 1, 2, 3]],
    [[4, 2], [4, 5, 6, 7]],
    [[2, 2], [8, 9]],
  ]);
  const dropping = new DataLoader(numbered(10), { batchSize: 4, dropLast: true });
  t.is(dropping.length, 2);
  t.deepEqual(await epoch(dropping), [[0, 1, 2, 3], [4, 5, 6, 7]]);
});

test('features and labels stay paired; x is float32 and labels int32', async (t) => {
  for await (const [x, y] of new DataLoader(numbered(6), { batchSize: 3, shuffle: true, seed: 5 })) {
    t.is(x.dtype, 'float32');
    t.is(y.dtype, 'int32');
    const [xs, ys] = [x.dataSync(), y.dataSync()];
    for (let i = 0; i < 3; i++) t.deepEqual([xs[2 * i], xs[2 * i + 1]], [ys[i], 10 + ys[i]!]);
  }
});

test('the same seed gives the same shuffles; every epoch is a new permutation', async (t) => {
  const make = () => new DataLoader(numbered(20), { batchSize: 5, shuffle: true, seed: 42 });
  const [a, b] = [make(), make()];
  const a1 = (await epoch(a)).flat();
  const a2 = (await epoch(a)).flat();
  t.deepEqual(a1, (await epoch(b)).flat());
  t.deepEqual(a2, (await epoch(b)).flat());
  t.notDeepEqual(a1, a2);
  t.deepEqual([...a1].sort((p, q) => p - q), [...Array(20).keys()]);
  t.notDeepEqual((await epoch(new DataLoader(numbered(20), { batchSize: 5, shuffle: true, seed: 43 }))).flat(), a1);
  t.is(a.epoch, 2);
});

test('state() mid-epoch restores into a fresh loader and continues identically', async (t) => {
  const options = { batchSize: 3, shuffle: true, seed: 7 };
  const reference = new DataLoader(numbered(12), options);
  const uninterrupted = [...(await epoch(reference)), ...(await epoch(reference)), ...(await epoch(reference))];

  const first = new DataLoader(numbered(12), options);
  const seen = await epoch(first);
  let saved;
  for await (const [, y] of first) {
    seen.push([...y.dataSync()]);
    if (seen.length === 6) {
      saved = JSON.parse(JSON.stringify(first.state()));
      break;
    }
  }
  t.deepEqual(saved.epoch, 1);
  t.deepEqual(saved.batch, 2);
  const resumed = new DataLoader(numbered(12), { ...options, seed: 999 });
  resumed.loadState(saved);
  seen.push(...(await epoch(resumed)), ...(await epoch(resumed)));
  t.deepEqual(seen, uninterrupted);
});

test('random transforms get a per-sample generator: reproducible whatever the prefetch', async (t) => {
  const images: Dataset<[HostTensor, number]> = {
    length: 8,
    getItem: (i) => [hostTensor(Float32Array.from({ length: 16 }, (_, k) => k + 100 * i), [1, 4, 4]), i],
  };
  const cropped = withTransform(images, new RandomCrop(2, { padding: 1 }));
  const run = async (prefetch: number) => {
    const out: number[][] = [];
    for await (const [x] of new DataLoader(cropped, { batchSize: 3, shuffle: true, seed: 3, prefetch })) out.push([...x.dataSync()]);
    return out;
  };
  const base = await run(0);
  t.deepEqual(await run(1), base);
  t.deepEqual(await run(4), base);
});

test('async datasets are prefetched in order', async (t) => {
  const slow: Dataset<number> = {
    length: 7,
    getItem: (i) => new Promise((resolve) => setTimeout(() => resolve(i), (7 - i) * 2)),
  };
  const out: number[] = [];
  for await (const y of new DataLoader(slow, { batchSize: 2, prefetch: 3 })) out.push(...(y as Tensor).dataSync());
  t.deepEqual(out, [0, 1, 2, 3, 4, 5, 6]);
});

test('a batch size of 0, negative or fractional, and a bad saved state are ValueErrors', (t) => {
  for (const batchSize of [0, -4, 2.5, NaN]) {
    const e = t.throws(() => new DataLoader(numbered(4), { batchSize }), { instanceOf: ValueError });
    t.regex(e!.message, /batchSize must be an integer >= 1/);
  }
  t.throws(() => new DataLoader(numbered(4), { prefetch: -1 }), { instanceOf: ValueError, message: /prefetch/ });
  const loader = new DataLoader(numbered(4), { batchSize: 2 });
  t.throws(() => loader.loadState({ epoch: 0, batch: 3, generator: [1, 2, 3, 4] }), { instanceOf: ValueError, message: /past the 2 batches/ });
  t.throws(() => loader.loadState({ epoch: 0, batch: 0, generator: [0, 0, 0, 0] }), { instanceOf: ValueError, message: /four 32-bit words/ });
  t.throws(() => loader.loadState({ epoch: -1, batch: 0, generator: [1, 2, 3, 4] }), { instanceOf: ValueError, message: /state\.epoch/ });
});

test.serial('breaking out of a loop leaves no prefetched tensors behind', async (t) => {
  const loader = new DataLoader(numbered(40), { batchSize: 2, prefetch: 3 });
  const before = memory().numTensors;
  for await (const [x, y] of loader) {
    x.dispose();
    y.dispose();
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
  t.is(memory().numTensors, before);
});

test('collate stacks numbers, host tensors and tensors; mismatched shapes name the sample', (t) => {
  const [x, y, z] = collate([
    [hostTensor(new Uint8Array([1, 255]), [2]), 3, tensor([1, 2])],
    [hostTensor(new Uint8Array([0, 7]), [2]), 4, tensor([3, 4])],
  ]);
  t.deepEqual(x!.toArray(), [[1, 255], [0, 7]]);
  t.is(x!.dtype, 'float32');
  t.deepEqual(y!.toArray(), [3, 4]);
  t.is(y!.dtype, 'int32');
  t.deepEqual(z!.toArray(), [[1, 2], [3, 4]]);
  t.is(collate([0.5, 1]).dtype, 'float32');
  t.throws(() => collate([hostTensor(new Float32Array(2), [2]), hostTensor(new Float32Array(3), [3])]), { message: /sample 1 is a Float32Array of shape \[3\], sample 0 has shape \[2\]/ });
});

test('TensorDataset checks first dimensions and reads rows', (t) => {
  const ds = new TensorDataset(tensor([[1, 2], [3, 4], [5, 6]]), tensor([0, 1, 2], [3], { dtype: 'int32' }));
  t.is(ds.length, 3);
  const [row, label] = ds.getItem(1);
  t.deepEqual([...row!.data], [3, 4]);
  t.deepEqual(label!.shape, []);
  t.throws(() => new TensorDataset(tensor([1, 2]), tensor([1, 2, 3])), { message: /share their first dimension/ });
  t.throws(() => ds.getItem(3), { instanceOf: ValueError });
});

test('a sample that fails to load rejects the loop with its error; the loader goes on to the next epoch', async (t) => {
  let broken = true;
  const flaky: Dataset<number> = {
    length: 6,
    getItem: (i) => {
      if (broken && i === 3) throw new ValueError('sample 3 is unreadable');
      return i;
    },
  };
  const loader = new DataLoader(flaky, { batchSize: 2, prefetch: 2 });
  const seen: number[] = [];
  await t.throwsAsync(async () => {
    for await (const y of loader) seen.push(...(y as Tensor).dataSync());
  }, { instanceOf: ValueError, message: 'sample 3 is unreadable' });
  t.deepEqual(seen, [0, 1]);
  t.is(loader.epoch, 1);
  broken = false;
  const next: number[] = [];
  for await (const y of loader) next.push(...(y as Tensor).dataSync());
  t.deepEqual(next, [0, 1, 2, 3, 4, 5]);
});
