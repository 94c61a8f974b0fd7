import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '../host.js';
import { DatasetError } from '../errors.js';
import { LabelledImages, type ImageDatasetOptions } from './labelled-images.js';

const PIXELS = 3 * 32 * 32;

export interface CIFAROptions<O> extends ImageDatasetOptions<O> {
  /** The training files (default) or the test file. */
  train?: boolean;
  /** Require the official record counts per file (default true); false accepts partial files. */
  checkCounts?: boolean;
}

interface Layout {
  name: string;
  /** Sub-folder the official archive unpacks to; the root itself is tried too. */
  folder: string;
  train: readonly string[];
  test: readonly string[];
  recordsPerFile: { train: number; test: number };
  /** How many classes each label byte (before a record's pixels) counts; every byte is checked. */
  labelClasses: readonly number[];
  /** Which label byte is the label. */
  labelByte: number;
}

/** A file whose size has been checked, and how many records it holds. */
interface Records {
  path: string;
  count: number;
}

function planFile(layout: Layout, path: string, expected: number | undefined): Records {
  const record = layout.labelClasses.length + PIXELS;
  if (!existsSync(path)) throw new DatasetError(`${layout.name}: ${path} is missing`);
  const size = statSync(path).size;
  if (size === 0 || size % record !== 0) {
    throw new DatasetError(`${layout.name}: ${path} is truncated or corrupt: ${size} bytes is not a whole, non-zero number of ${record}-byte records (${size % record} bytes left over)`);
  }
  const count = size / record;
  if (expected !== undefined && count !== expected) {
    throw new DatasetError(`${layout.name}: ${path} holds ${count} records, expected ${expected} (pass checkCounts: false to read a partial file)`);
  }
  return { path, count };
}

/** Reads the binary-format files into one pixel array and one label array. */
function readCIFAR(layout: Layout, root: string, train: boolean, checkCounts: boolean): { images: Uint8Array; labels: Int32Array } {
  const dir = existsSync(join(root, layout.folder)) ? join(root, layout.folder) : root;
  const expected = checkCounts ? layout.recordsPerFile[train ? 'train' : 'test'] : undefined;
  const files = (train ? layout.train : layout.test).map((f) => planFile(layout, join(dir, f), expected));
  const total = files.reduce((n, f) => n + f.count, 0);
  const images = new Uint8Array(total * PIXELS);
  const labels = new Int32Array(total);
  const labelBytes = layout.labelClasses.length;
  let at = 0;
  for (const file of files) {
    const bytes = readFileSync(file.path);
    if (bytes.byteLength !== file.count * (labelBytes + PIXELS)) throw new DatasetError(`${layout.name}: ${file.path} changed size while being read`);
    for (let r = 0; r < file.count; r++, at++) {
      const offset = r * (labelBytes + PIXELS);
      layout.labelClasses.forEach((classes, k) => {
        const label = bytes[offset + k]!;
        if (label >= classes) throw new DatasetError(`${layout.name}: ${file.path} is corrupt: record ${r} has label ${label}, outside 0–${classes - 1}`);
      });
      labels[at] = bytes[offset + layout.labelByte]!;
      images.set(bytes.subarray(offset + labelBytes, offset + labelBytes + PIXELS), at * PIXELS);
    }
  }
  return { images, labels };
}

const CIFAR10_LAYOUT: Layout = {
  name: 'CIFAR10',
  folder: 'cifar-10-batches-bin',
  train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`),
  test: ['test_batch.bin'],
  recordsPerFile: { train: 10000, test: 10000 },
  labelClasses: [10],
  labelByte: 0,
};

/**
 * CIFAR-10 from the official binary version in a folder you supply (`data_batch_1.bin` …
 * `data_batch_5.bin`, `test_batch.bin`; the folder or its `cifar-10-batches-bin` sub-folder).
 * Images are [3, 32, 32] Uint8Array (RGB planes, as the files store them); labels 0–9.
 */
export class CIFAR10<O = HostTensor> extends LabelledImages<O> {
  static readonly classes = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

  constructor(root: string, options: CIFAROptions<O> = {}) {
    const { images, labels } = readCIFAR(CIFAR10_LAYOUT, root, options.train ?? true, options.checkCounts ?? true);
    super(images, [3, 32, 32], labels, options);
  }
}

export interface CIFAR100Options<O> extends CIFAROptions<O> {
  /** The 100 fine classes (default) or the 20 coarse superclasses. */
  labels?: 'fine' | 'coarse';
}

/**
 * CIFAR-100 from the official binary version (`train.bin`, `test.bin`, in the folder or its
 * `cifar-100-binary` sub-folder). Each record has a coarse and a fine label; `labels` picks one.
 */
export class CIFAR100<O = HostTensor> extends LabelledImages<O> {
  constructor(root: string, options: CIFAR100Options<O> = {}) {
    const fine = (options.labels ?? 'fine') === 'fine';
    const layout: Layout = {
      name: 'CIFAR100',
      folder: 'cifar-100-binary',
      train: ['train.bin'],
      test: ['test.bin'],
      recordsPerFile: { train: 50000, test: 10000 },
      labelClasses: [20, 100],
      labelByte: fine ? 1 : 0,
    };
    const { images, labels } = readCIFAR(layout, root, options.train ?? true, options.checkCounts ?? true);
    super(images, [3, 32, 32], labels, options);
  }
}
