import '@fovea/backend-js';
import test from 'ava';
import { DTypeError, Generator, ShapeError, ValueError, tensor } from '@fovea/core';
import {
  CenterCrop,
  ChannelMeanSubtraction,
  ColorJitter,
  Compose,
  MeanImageSubtraction,
  MultiCrop,
  Normalize,
  RandomCrop,
  RandomHorizontalFlip,
  RandomResize,
  RandomResizedCrop,
  Resize,
  ToFloat,
  adjustBrightness,
  adjustContrast,
  adjustHue,
  adjustSaturation,
  averageCrops,
  convertChannels,
  crop,
  hflip,
  hostTensor,
  pad,
  resize,
  type HostTensor,
} from '../src/index.js';

const img = (values: number[], shape: number[]) => hostTensor(Float32Array.from(values), shape);
const range = (n: number) => [...Array(n).keys()];
const values = (x: HostTensor) => [...x.data];
const close = (t: import('ava').ExecutionContext, actual: ArrayLike<number>, expected: number[], tol = 1e-6) => {
  t.is(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++) t.true(Math.abs(actual[i]! - expected[i]!) <= tol, `index ${i}: ${actual[i]} vs ${expected[i]}`);
};
const three = img([1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 3, 3]);

test('crop, pad and hflip on a 3x3 image', (t) => {
  t.deepEqual(values(crop(three, 1, 1, 2, 2)), [5, 6, 8, 9]);
  t.deepEqual(values(pad(img([1, 2, 3, 4], [1, 2, 2]), 1)), [0, 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 0, 0, 0]);
  t.deepEqual(values(hflip(three)), [3, 2, 1, 6, 5, 4, 9, 8, 7]);
  t.throws(() => crop(three, 2, 2, 2, 2), { instanceOf: ValueError, message: /does not fit a 3x3 image/ });
  t.throws(() => hflip(img([1, 2], [2])), { instanceOf: ShapeError, message: /expected a CHW image/ });
});

test('CenterCrop uses torchvision offsets (half rounds to even)', (t) => {
  t.deepEqual(values(new CenterCrop(1).apply(three)), [5]);
  t.deepEqual(values(new CenterCrop(1).apply(img(range(16), [1, 4, 4]))), [10]);
  t.deepEqual(values(new CenterCrop(2).apply(three)), [1, 2, 4, 5]);
  t.deepEqual(values(new CenterCrop([2, 1]).apply(img(range(16), [1, 4, 4]))), [6, 10]);
});

test('RandomCrop with padding picks every window, reproducibly from the generator', (t) => {
  const rc = new RandomCrop(3, { padding: 1 });
  const padded = pad(three, 1);
  const windows = range(9).map((k) => values(crop(padded, Math.floor(k / 3), k % 3, 3, 3)).join());
  const seen = new Set<string>();
  const g = new Generator(1);
  for (let i = 0; i < 200; i++) {
    const out = rc.apply(three, g);
    t.deepEqual(out.shape, [1, 3, 3]);
    seen.add(values(out).join());
  }
  t.deepEqual([...seen].sort(), [...windows].sort());
  t.deepEqual(values(rc.apply(three, new Generator(5))), values(rc.apply(three, new Generator(5))));
  t.throws(() => new RandomCrop(5).apply(three), { message: /5x5 crop from a 3x3/ });
});

test('RandomHorizontalFlip flips with probability p', (t) => {
  t.deepEqual(values(new RandomHorizontalFlip(1).apply(three)), values(hflip(three)));
  t.is(new RandomHorizontalFlip(0).apply(three), three);
  const g = new Generator(2);
  const flips = range(2000).filter(() => new RandomHorizontalFlip().apply(three, g) !== three).length;
  t.true(flips > 900 && flips < 1100, String(flips));
});

test('bilinear resize matches PyTorch (align_corners=False; antialias when shrinking)', (t) => {
  t.deepEqual(values(resize(img([0, 10, 20, 30], [1, 2, 2]), 4)), [0, 2.5, 7.5, 10, 5, 7.5, 12.5, 15, 15, 17.5, 22.5, 25, 20, 22.5, 27.5, 30]);
  t.deepEqual(values(resize(img(range(16), [1, 4, 4]), 2)), [2.5, 4.5, 10.5, 12.5]);
  close(t, resize(img(range(16), [1, 4, 4]), 2, { antialias: true }).data, [25 / 7, 36 / 7, 69 / 7, 80 / 7], 1e-5);
  close(t, new Resize(2).apply(img(range(16), [1, 4, 4])).data, [25 / 7, 36 / 7, 69 / 7, 80 / 7], 1e-5);
  t.deepEqual(new Resize(1).apply(img(range(8), [1, 2, 4])).shape, [1, 1, 2], 'a number sets the shorter side');
  t.deepEqual(new Resize(3).apply(img(range(10), [1, 5, 2])).shape, [1, 7, 3]);
  t.deepEqual(new Resize([3, 1]).apply(img(range(8), [1, 2, 4])).shape, [1, 3, 1]);
  const bytes = resize(hostTensor(new Uint8Array([0, 255]), [1, 1, 2]), [1, 4]);
  t.true(bytes.data instanceof Uint8Array);
  t.deepEqual(values(bytes), [0, 64, 191, 255]);
});

test('ToFloat scales bytes to [0, 1]; Normalize standardises each channel', (t) => {
  close(t, new ToFloat().apply(hostTensor(new Uint8Array([0, 51, 255]), [1, 1, 3])).data, [0, 0.2, 1]);
  const f = img([0.5], [1, 1, 1]);
  t.is(new ToFloat().apply(f), f);
  t.deepEqual(values(new Normalize([1, 2], [2, 4]).apply(img([3, 10], [2, 1, 1]))), [1, 2]);
  t.throws(() => new Normalize([0.5], [0]), { instanceOf: ValueError });
  t.throws(() => new Normalize([0.5], [1]).apply(img([3, 10], [2, 1, 1])), { instanceOf: ShapeError, message: /1 means and 1 stds for a 2-channel image/ });
});

test('mean image, per-channel mean and Normalize statistics are fitted on the data given', async (t) => {
  const train = [img([1, 3, 10, 10], [2, 1, 2]), img([5, 7, 20, 20], [2, 1, 2])];
  const meanImage = await MeanImageSubtraction.fit(train);
  t.deepEqual(values(meanImage.mean), [3, 5, 15, 15]);
  t.deepEqual(values(meanImage.apply(img([4, 4, 4, 4], [2, 1, 2]))), [1, -1, -11, -11]);
  const channel = await ChannelMeanSubtraction.fit(train.map((x) => [x, 0]) as never);
  t.deepEqual(channel.mean, [4, 15]);
  t.deepEqual(values(channel.apply(img([4, 4, 4, 4], [2, 1, 2]))), [0, 0, -11, -11]);
  const norm = await Normalize.fit(train);
  t.deepEqual(norm.mean, [4, 15]);
  close(t, norm.std, [Math.sqrt(5), 5]);
  await t.throwsAsync(MeanImageSubtraction.fit([img([1], [1, 1, 1]), img([1, 2], [1, 1, 2])]), { instanceOf: ShapeError, message: /image 1 has shape \[1, 1, 2\], image 0 has \[1, 1, 1\]/ });
});

test('colour adjustments on hand-computed pixels', (t) => {
  close(t, adjustBrightness(img([0.2, 0.8], [1, 1, 2]), 0.5).data, [0.1, 0.4]);
  close(t, adjustBrightness(img([0.2, 0.8], [1, 1, 2]), 2).data, [0.4, 1]);
  close(t, adjustContrast(img([0, 1], [1, 1, 2]), 0.5).data, [0.25, 0.75]);
  close(t, adjustSaturation(img([1, 0, 0], [3, 1, 1]), 0).data, [0.2989, 0.2989, 0.2989]);
  close(t, adjustSaturation(img([0.5, 0.5, 0.5], [3, 1, 1]), 2).data, [0.5, 0.5, 0.5], 1e-4); // torchvision's luma weights sum to 0.9999
  close(t, adjustHue(img([1, 0, 0], [3, 1, 1]), 1 / 3).data, [0, 1, 0]);
  close(t, adjustHue(img([1, 0, 0], [3, 1, 1]), 0.5).data, [0, 1, 1]);
  close(t, adjustHue(img([0.2, 0.6, 0.4], [3, 1, 1]), 0).data, [0.2, 0.6, 0.4]);
  t.throws(() => adjustSaturation(img([1], [1, 1, 1]), 0.5), { message: /needs an RGB image/ });
});

/** A 3x4x5 image and torchvision 0.14's outputs on it (torch.manual_seed(0); torch.rand(3, 4, 5)). */
const torchImage = img(
  [
    0.496257, 0.768222, 0.088477, 0.13203, 0.307423, 0.634079, 0.490093, 0.896445, 0.455628, 0.632306, 0.348893, 0.401717, 0.022326, 0.168859, 0.293888,
    0.518522, 0.697668, 0.800011, 0.161029, 0.282269, 0.681609, 0.915194, 0.3971, 0.874156, 0.419408, 0.552907, 0.952738, 0.036165, 0.185231, 0.373417,
    0.3051, 0.932, 0.17591, 0.269834, 0.15068, 0.03172, 0.20813, 0.929799, 0.723109, 0.742336, 0.526296, 0.243658, 0.584592, 0.033153, 0.138717, 0.242235,
    0.815469, 0.793161, 0.278252, 0.481959, 0.81978, 0.997067, 0.698441, 0.567546, 0.835243, 0.205599, 0.593172, 0.112347, 0.153457, 0.241708,
  ],
  [3, 4, 5],
);

test('colour adjustments match torchvision.transforms.functional', (t) => {
  const first8 = (x: HostTensor) => values(x).slice(0, 8);
  close(t, first8(adjustBrightness(torchImage, 1.3)), [0.645134, 0.998688, 0.115021, 0.17164, 0.39965, 0.824302, 0.637121, 1.0], 2e-6);
  close(t, first8(adjustContrast(torchImage, 0.6)), [0.486203, 0.649382, 0.241535, 0.267667, 0.372902, 0.568896, 0.482505, 0.726315], 2e-6);
  close(t, first8(adjustSaturation(torchImage, 1.7)), [0.417733, 0.749745, 0.0, 0.0, 0.274892, 0.698746, 0.274062, 1.0], 2e-6);
  close(t, first8(adjustHue(torchImage, 0.2)), [0.496257, 0.243658, 0.375193, 0.033153, 0.138717, 0.245038, 0.490093, 0.896445], 2e-6);
});

test('resize matches torch.nn.functional.interpolate (bilinear, antialias=True)', (t) => {
  const y = img(range(35), [1, 5, 7]);
  close(t, resize(y, [3, 4], { antialias: true }).data, [3.52381, 5.08, 6.92, 8.47619, 14.52381, 16.08, 17.92, 19.47619, 25.52381, 27.08, 28.92, 30.47619], 1e-5);
  close(t, values(resize(y, [8, 9], { antialias: true })).slice(0, 12), [0, 0.66667, 1.44444, 2.22222, 3, 3.77778, 4.55556, 5.33333, 6, 3.0625, 3.72917, 4.50694], 1e-5);
});

test('ColorJitter draws factors from its ranges and needs float images', (t) => {
  const x = img([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 1, 2]);
  const jitter = new ColorJitter({ brightness: 0.5 });
  const g = new Generator(9);
  for (let i = 0; i < 50; i++) {
    const out = jitter.apply(x, g);
    const ratios = values(out).map((v, k) => v / x.data[k]!);
    t.true(ratios.every((r) => Math.abs(r - ratios[0]!) < 1e-5 && r >= 0.5 - 1e-6 && r <= 1.5 + 1e-6));
  }
  const full = new ColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4, hue: 0.1 });
  t.deepEqual(values(full.apply(x, new Generator(1))), values(full.apply(x, new Generator(1))));
  t.true(values(full.apply(x, new Generator(1))).every((v) => v >= 0 && v <= 1));
  t.throws(() => jitter.apply(hostTensor(new Uint8Array(3), [3, 1, 1])), { instanceOf: DTypeError, message: /apply ToFloat first/ });
  t.throws(() => new ColorJitter({ hue: 0.7 }), { instanceOf: ValueError });
});

test('RandomResizedCrop returns the requested size; full scale and unit ratio is a plain resize', (t) => {
  const x = img(range(64), [1, 8, 8]);
  const g = new Generator(4);
  for (let i = 0; i < 20; i++) t.deepEqual(new RandomResizedCrop([3, 5]).apply(x, g).shape, [1, 3, 5]);
  const whole = new RandomResizedCrop(4, { scale: [1, 1], ratio: [1, 1] });
  t.deepEqual(values(whole.apply(x, g)), values(resize(x, 4, { antialias: true })));
  const [top, left, h, w] = new RandomResizedCrop(4, { scale: [0.25, 0.25], ratio: [1, 1] }).window(8, 8, g);
  t.deepEqual([h, w], [4, 4]);
  t.true(top >= 0 && top <= 4 && left >= 0 && left <= 4);
});

test('MultiCrop: four corners, the centre, then their mirror images', (t) => {
  const out = new MultiCrop(2).apply(three);
  t.deepEqual(out.shape, [10, 1, 2, 2]);
  const crops = range(10).map((i) => values(out).slice(4 * i, 4 * i + 4));
  t.deepEqual(crops.slice(0, 5), [
    [1, 2, 4, 5],
    [2, 3, 5, 6],
    [4, 5, 7, 8],
    [5, 6, 8, 9],
    [1, 2, 4, 5],
  ]);
  t.deepEqual(crops[5], [3, 2, 6, 5], 'top-left of the mirrored image');
  t.deepEqual(crops[8], [5, 4, 8, 7], 'bottom-right of the mirrored image');
  t.deepEqual(new MultiCrop(2, { flips: false }).apply(three).shape, [5, 1, 2, 2]);
  t.deepEqual(averageCrops(tensor([[1], [3], [5], [7]]), 2).toArray(), [[2], [6]]);
});

test("MultiCrop equals torchvision's ten_crop", (t) => {
  const out = values(new MultiCrop([2, 3]).apply(img(range(30), [1, 5, 6])));
  const torch = [
    [0, 1, 2, 6, 7, 8], [3, 4, 5, 9, 10, 11], [18, 19, 20, 24, 25, 26], [21, 22, 23, 27, 28, 29], [14, 15, 16, 20, 21, 22],
    [5, 4, 3, 11, 10, 9], [2, 1, 0, 8, 7, 6], [23, 22, 21, 29, 28, 27], [20, 19, 18, 26, 25, 24], [15, 14, 13, 21, 20, 19],
  ];
  t.deepEqual(out, torch.flat());
});

test('MultiCrop at several scales: ten crops per scale, the image resized by its shorter side first', (t) => {
  const x = img(range(48), [1, 6, 8]);
  const tta = new MultiCrop(3, { scales: [3, 6] });
  t.is(tta.count, 20);
  const out = tta.apply(x);
  t.deepEqual(out.shape, [20, 1, 3, 3]);
  t.deepEqual(values(out).slice(0, 90), values(new MultiCrop(3).apply(resize(x, [3, 4], { antialias: true }))));
  t.deepEqual(values(out).slice(90), values(new MultiCrop(3).apply(x)));
});

test('RandomResize sets the shorter side to a random size in [min, max]', (t) => {
  const g = new Generator(3);
  const sides = new Set<number>();
  for (let i = 0; i < 100; i++) {
    const [, h, w] = new RandomResize(4, 6).apply(img(range(24), [1, 4, 6]), g).shape;
    t.is(w, Math.trunc((h! * 6) / 4));
    sides.add(h!);
  }
  t.deepEqual([...sides].sort(), [4, 5, 6]);
  t.throws(() => new RandomResize(5, 4), { instanceOf: ValueError });
});

test('convertChannels: luma, replication, alpha', (t) => {
  t.deepEqual(values(convertChannels(hostTensor(new Uint8Array([255, 0, 0]), [3, 1, 1]), 1)), [76]);
  t.deepEqual(values(convertChannels(hostTensor(new Uint8Array([9]), [1, 1, 1]), 3)), [9, 9, 9]);
  t.deepEqual(values(convertChannels(hostTensor(new Uint8Array([9, 128]), [2, 1, 1]), 4)), [9, 9, 9, 128]);
  t.deepEqual(values(convertChannels(hostTensor(new Uint8Array([1, 2, 3, 4]), [4, 1, 1]), 3)), [1, 2, 3]);
});

test('Compose runs its transforms in order with one generator', (t) => {
  const pipeline = new Compose([new ToFloat(), new Normalize([0.5], [0.5]), new RandomHorizontalFlip(1)]);
  close(t, pipeline.apply(hostTensor(new Uint8Array([0, 255]), [1, 1, 2])).data, [1, -1]);
});
