import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { ValueError, type Generator } from '@fovea/core';
import { checkIndex, type Dataset } from '../dataset.js';
import { DatasetError } from '../errors.js';
import type { HostTensor } from '../host.js';
import { pair } from '../transforms/resize.js';
import { rngOr, type Transform } from '../transforms/transform.js';
import type { DecodeLimits } from './decode-image.js';
import { DecodePool } from './decode-pool.js';
import { loadImage, type ImageSpec } from './load-image.js';

export interface ImageFolderOptions<O> extends DecodeLimits {
  /** Every image must be this size ([h, w] or a square) — or is resized to it with `convert`. */
  size?: number | readonly [number, number];
  /** Every image must have this many channels — or is converted with `convert`. */
  channels?: 1 | 3 | 4;
  /** Resize / convert images that do not match `size` / `channels` instead of throwing (default false). */
  convert?: boolean;
  /** Keep each decoded image in memory after its first read, so later epochs skip file I/O and decoding (default false). */
  cache?: boolean;
  /** Worker threads that read and decode in parallel (default 0: on this thread). Call `close()` when done. */
  workers?: number;
  /** File extensions read (default .png, .jpg, .jpeg; case-insensitive). */
  extensions?: readonly string[];
  /** Applied to each decoded [C, H, W] Uint8Array image. */
  transform?: Transform<HostTensor, O>;
}

/**
 * Images in one sub-folder per class (`root/cat/1.png`, `root/dog/2.jpg`), like torchvision's
 * ImageFolder. Classes are the sub-folder names in sorted order; label i is `classes[i]`. Files
 * are listed up front, then read (asynchronously, so a DataLoader's prefetch overlaps the I/O)
 * and decoded (PNG, JPEG) when fetched.
 */
export class ImageFolder<O = HostTensor> implements Dataset<[O, number]> {
  readonly classes: readonly string[];
  /** Every file and its label, in class then file-name order. */
  readonly samples: readonly (readonly [path: string, label: number])[];
  readonly #options: ImageFolderOptions<O>;
  readonly #spec: ImageSpec;
  readonly #pool: DecodePool | undefined;
  readonly #cache = new Map<number, Promise<HostTensor>>();

  constructor(
    readonly root: string,
    options: ImageFolderOptions<O> = {},
  ) {
    this.#options = options;
    const { channels, convert, maxPixels } = options;
    this.#spec = { channels, convert, maxPixels, size: options.size === undefined ? undefined : pair(options.size, 'ImageFolder') };
    const workers = options.workers ?? 0;
    if (!Number.isInteger(workers) || workers < 0) throw new ValueError(`ImageFolder: workers must be a non-negative integer, got ${workers}`);
    this.#pool = workers > 0 ? new DecodePool(workers) : undefined;
    const extensions = new Set((options.extensions ?? ['.png', '.jpg', '.jpeg']).map((e) => e.toLowerCase()));
    this.classes = listDir(root)
      .filter((name) => statSync(join(root, name)).isDirectory())
      .sort();
    this.samples = this.classes.flatMap((cls, label) =>
      listDir(join(root, cls))
        .filter((f) => extensions.has(extname(f).toLowerCase()))
        .sort()
        .map((f) => [join(root, cls, f), label] as const),
    );
    if (this.samples.length === 0) throw new DatasetError(`ImageFolder: no ${[...extensions].join('/')} images in class folders under ${root}`);
  }

  get length(): number {
    return this.samples.length;
  }

  async getItem(index: number, rng?: Generator): Promise<[O, number]> {
    checkIndex(index, this.length, 'ImageFolder');
    const image = await this.#image(index);
    const { transform } = this.#options;
    return [transform ? transform.apply(image, rngOr(rng)) : (image as O), this.samples[index]![1]];
  }

  /** The decoded, conformed image (from the cache when enabled; failures are not cached). */
  #image(index: number): Promise<HostTensor> {
    const cached = this.#cache.get(index);
    if (cached) return cached;
    const path = this.samples[index]![0];
    const image = this.#pool ? this.#pool.load(path, this.#spec) : loadImage(path, this.#spec);
    if (this.#options.cache) {
      this.#cache.set(index, image);
      image.catch(() => this.#cache.delete(index));
    }
    return image;
  }

  /** Stops the decode workers, if any. */
  close(): Promise<void> {
    return this.#pool?.close() ?? Promise.resolve();
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (e) {
    throw new DatasetError(`ImageFolder: cannot list ${dir}: ${(e as Error).message}`);
  }
}
