import test from 'ava';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CIFAR10, CIFAR100, DatasetError } from '../src/index.js';

const PIXELS = 3072;

/** Records in the official layout: label byte(s), then 1024 red, 1024 green, 1024 blue bytes. */
function records(labels: number[][]): Uint8Array {
  const record = labels[0]!.length + PIXELS;
  const out = new Uint8Array(labels.length * record);
  labels.forEach((lab, r) => {
    out.set(lab, r * record);
    for (let p = 0; p < PIXELS; p++) out[r * record + lab.length + p] = (p + 7 * r) % 256;
  });
  return out;
}

async function folder(files: Record<string, Uint8Array>, sub?: string): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fovea-cifar-'));
  const dir = sub ? join(root, sub) : root;
  await mkdir(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) await writeFile(join(dir, name), bytes);
  return root;
}

test('CIFAR-10: three records read with labels and CHW pixels', async (t) => {
  const root = await folder({ 'test_batch.bin': records([[3], [0], [9]]) }, 'cifar-10-batches-bin');
  const cifar = new CIFAR10(root, { train: false, checkCounts: false });
  t.is(cifar.length, 3);
  t.deepEqual([...cifar.labels], [3, 0, 9]);
  const [image, label] = cifar.getItem(1);
  t.is(label, 0);
  t.deepEqual(image.shape, [3, 32, 32]);
  t.is(image.data[0], 7);
  t.is(image.data[1024], (1024 + 7) % 256, 'green plane starts after 1024 red bytes');
  t.is(CIFAR10.classes[3], 'cat');
});

test('CIFAR-100: fine or coarse labels from the two label bytes', async (t) => {
  const root = await folder({ 'train.bin': records([[4, 77], [19, 99], [0, 0]]) });
  t.deepEqual([...new CIFAR100(root, { checkCounts: false }).labels], [77, 99, 0]);
  t.deepEqual([...new CIFAR100(root, { checkCounts: false, labels: 'coarse' }).labels], [4, 19, 0]);
});

test('the official record counts are required unless checkCounts is false', async (t) => {
  const root = await folder({ 'test_batch.bin': records([[1], [2], [3]]) });
  const e = t.throws(() => new CIFAR10(root, { train: false }), { instanceOf: DatasetError });
  t.regex(e!.message, /test_batch\.bin holds 3 records, expected 10000/);
});

test('a truncated file is a DatasetError naming the file and the leftover bytes', async (t) => {
  const root = await folder({ 'test_batch.bin': records([[1], [2], [3]]).subarray(0, 3 * 3073 - 100) });
  const e = t.throws(() => new CIFAR10(root, { train: false, checkCounts: false }), { instanceOf: DatasetError });
  t.regex(e!.message, /test_batch\.bin is truncated or corrupt: 9119 bytes is not a whole, non-zero number of 3073-byte records \(2973 bytes left over\)/);
});

test('a corrupt label, a missing file and an empty file are DatasetErrors', async (t) => {
  const corrupt = await folder({ 'test_batch.bin': records([[1], [12], [3]]) });
  t.throws(() => new CIFAR10(corrupt, { train: false, checkCounts: false }), { instanceOf: DatasetError, message: /record 1 has label 12, outside 0–9/ });
  const badCoarse = await folder({ 'train.bin': records([[4, 7], [25, 7]]) });
  t.throws(() => new CIFAR100(badCoarse, { checkCounts: false }), { instanceOf: DatasetError, message: /record 1 has label 25, outside 0–19/ });
  const partial = await folder({ 'data_batch_1.bin': records([[1]]) });
  t.throws(() => new CIFAR10(partial, { checkCounts: false }), { instanceOf: DatasetError, message: /data_batch_2\.bin is missing/ });
  const empty = await folder({ 'test.bin': new Uint8Array(0) });
  t.throws(() => new CIFAR100(empty, { train: false, checkCounts: false }), { instanceOf: DatasetError, message: /test\.bin is truncated or corrupt: 0 bytes/ });
});
