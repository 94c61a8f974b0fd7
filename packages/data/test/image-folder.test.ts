import test from 'ava';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import '@fovea/backend-js';
import { Compose, DataLoader, DatasetError, ImageFolder, ToFloat, decodeImage } from '../src/index.js';

/** A PNG of the given colour type (0 gray, 2 RGB, 6 RGBA) whose pixel (y, x) has red = 10y + x. */
function png(width: number, height: number, colorType: 0 | 2 | 6 = 2): Buffer {
  const image = new PNG({ width, height, colorType, inputColorType: 6 });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) image.data.set([10 * y + x, 100, 200, 255], 4 * (y * width + x));
  }
  return PNG.sync.write(image, { colorType, inputColorType: 6 });
}

/** A flat-colour JPEG (flat so lossy coding keeps it almost exact). */
function jpg(width: number, height: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set([...rgb, 255], 4 * p);
  return jpeg.encode({ data, width, height }, 95).data;
}

async function tree(files: Record<string, Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'fovea-images-'));
  for (const [path, bytes] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), bytes);
  }
  return root;
}

test('classes from sorted sub-folders; PNG and JPEG decode to CHW bytes', async (t) => {
  const root = await tree({ 'dog/b.jpg': jpg(4, 3, [200, 40, 90]), 'cat/a.png': png(4, 3), 'cat/notes.txt': Buffer.from('x') });
  const ds = new ImageFolder(root);
  t.deepEqual(ds.classes, ['cat', 'dog']);
  t.is(ds.length, 2);
  const [cat, catLabel] = await ds.getItem(0);
  t.is(catLabel, 0);
  t.deepEqual(cat.shape, [3, 3, 4]);
  t.deepEqual([...cat.data.subarray(0, 12)], [0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23]);
  t.true(cat.data.subarray(12, 24).every((v) => v === 100));
  const [dog, dogLabel] = await ds.getItem(1);
  t.is(dogLabel, 1);
  t.deepEqual(dog.shape, [3, 3, 4]);
  for (const [c, v] of [200, 40, 90].entries()) t.true(dog.data.subarray(12 * c, 12 * c + 12).every((p) => Math.abs(p - v) <= 3), `channel ${c}`);
});

test('PNG channel counts are kept: gray 1, RGBA 4', (t) => {
  t.deepEqual(decodeImage(png(2, 2, 0), 'g.png').shape, [1, 2, 2]);
  t.deepEqual(decodeImage(png(2, 2, 6), 'a.png').shape, [4, 2, 2]);
});

test('wrong size or channels is a DatasetError naming the file, unless convert', async (t) => {
  const root = await tree({ 'a/ok.png': png(4, 4), 'a/small.png': png(2, 2), 'b/gray.png': png(4, 4, 0) });
  const strict = new ImageFolder(root, { size: 4, channels: 3 });
  t.deepEqual((await strict.getItem(0))[0].shape, [3, 4, 4]);
  await t.throwsAsync(strict.getItem(1), { instanceOf: DatasetError, message: /small\.png is 2x2, expected 4x4 \(pass convert: true to resize\)/ });
  await t.throwsAsync(strict.getItem(2), { instanceOf: DatasetError, message: /gray\.png has 1 channels, expected 3/ });
  const lenient = new ImageFolder(root, { size: 4, channels: 3, convert: true });
  t.deepEqual((await lenient.getItem(1))[0].shape, [3, 4, 4]);
  const gray = (await lenient.getItem(2))[0];
  t.deepEqual(gray.shape, [3, 4, 4]);
  t.deepEqual([...gray.data.subarray(0, 4)], [...gray.data.subarray(16, 20)]);
});

test('corrupt files, huge claimed dimensions and empty folders are DatasetErrors', async (t) => {
  const truncated = png(4, 4).subarray(0, 40);
  t.throws(() => decodeImage(truncated, 'cut.png'), { instanceOf: DatasetError, message: /cut\.png: cannot decode image/ });
  const huge = Buffer.from(png(4, 4));
  huge.writeUInt32BE(100000, 16);
  huge.writeUInt32BE(100000, 20);
  t.throws(() => decodeImage(huge, 'huge.png'), { instanceOf: DatasetError, message: /claims 100000x100000 pixels/ });
  t.throws(() => decodeImage(Buffer.from('GIF89a....'), 'x.gif'), { instanceOf: DatasetError, message: /not a PNG or JPEG/ });
  const noImages = await tree({ 'a/readme.md': Buffer.from('#') });
  t.throws(() => new ImageFolder(noImages), { instanceOf: DatasetError, message: /no .* images/ });
  t.throws(() => new ImageFolder('/nonexistent/fovea'), { instanceOf: DatasetError, message: /cannot list/ });
});

test('workers decode in parallel threads: the same pixels, the same typed errors', async (t) => {
  const root = await tree({ 'a/1.png': png(5, 4), 'a/2.jpg': jpg(4, 4, [10, 20, 30]), 'b/3.png': png(4, 4, 0), 'b/4.png': png(3, 3) });
  const options = { size: 4, channels: 3 as const, convert: true };
  const local = new ImageFolder(root, options);
  const pooled = new ImageFolder(root, { ...options, workers: 2 });
  const [fromWorkers, here] = await Promise.all([Promise.all([0, 1, 2, 3].map((i) => pooled.getItem(i))), Promise.all([0, 1, 2, 3].map((i) => local.getItem(i)))]);
  fromWorkers.forEach(([image, label], i) => {
    t.is(label, here[i]![1]);
    t.deepEqual(image.shape, here[i]![0].shape);
    t.deepEqual([...image.data], [...here[i]![0].data]);
  });
  const strict = new ImageFolder(root, { size: 4, workers: 1 });
  await t.throwsAsync(strict.getItem(3), { instanceOf: DatasetError, message: /4\.png is 3x3, expected 4x4/ });
  await Promise.all([pooled.close(), strict.close()]);
  t.throws(() => new ImageFolder(root, { workers: -1 }), { message: /workers must be a non-negative integer/ });
});

test('cache: decoded once, later reads come from memory', async (t) => {
  const root = await tree({ 'a/1.png': png(4, 4) });
  const cached = new ImageFolder(root, { cache: true });
  const uncached = new ImageFolder(root);
  const first = (await cached.getItem(0))[0];
  await rm(join(root, 'a', '1.png'));
  t.is((await cached.getItem(0))[0], first);
  await t.throwsAsync(uncached.getItem(0), { code: 'ENOENT' });
});

test('a loader over an ImageFolder yields float batches, the I/O prefetched', async (t) => {
  const root = await tree({ 'a/1.png': png(5, 4), 'a/2.jpg': jpg(4, 4, [10, 20, 30]), 'b/3.png': png(4, 4, 0) });
  const ds = new ImageFolder(root, { size: 4, channels: 3, convert: true, transform: new Compose([new ToFloat()]) });
  const batches: number[][] = [];
  for await (const [x, y] of new DataLoader(ds, { batchSize: 2, prefetch: 2 })) {
    t.deepEqual(x.shape.slice(1), [3, 4, 4]);
    t.is(x.dtype, 'float32');
    t.true(x.dataSync().every((v) => v >= 0 && v <= 1));
    batches.push([...y.dataSync()]);
  }
  t.deepEqual(batches, [[0, 0], [1]]);
});
