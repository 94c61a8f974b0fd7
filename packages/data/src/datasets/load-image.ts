import { readFile } from 'node:fs/promises';
import { DatasetError } from '../errors.js';
import type { HostTensor } from '../host.js';
import { convertChannels } from '../transforms/channels.js';
import { resize } from '../transforms/resize.js';
import { decodeImage } from './decode-image.js';

/** What a loaded image must be (plain data, so it can be sent to a worker thread). */
export interface ImageSpec {
  /** [h, w] every image must have — or is resized to with `convert`. */
  size?: readonly [number, number];
  /** Channels every image must have — or is converted to with `convert`. */
  channels?: 1 | 3 | 4;
  convert?: boolean;
  /** Largest image accepted, in pixels, checked before decoding. */
  maxPixels?: number;
}

/** Checks (or, with `convert`, fixes) an image's channels and size. */
export function conformImage(image: HostTensor, path: string, spec: ImageSpec): HostTensor {
  const { channels, convert, size } = spec;
  const [c, h, w] = image.shape as [number, number, number];
  if (channels !== undefined && c !== channels) {
    if (!convert) throw new DatasetError(`ImageFolder: ${path} has ${c} channels, expected ${channels} (pass convert: true to convert)`);
    image = convertChannels(image, channels);
  }
  if (size && (h !== size[0] || w !== size[1])) {
    if (!convert) throw new DatasetError(`ImageFolder: ${path} is ${h}x${w}, expected ${size[0]}x${size[1]} (pass convert: true to resize)`);
    image = resize(image, size, { antialias: true });
  }
  return image;
}

/** Reads, decodes (PNG, JPEG) and conforms one image file. */
export async function loadImage(path: string, spec: ImageSpec): Promise<HostTensor> {
  return conformImage(decodeImage(await readFile(path), path, spec), path, spec);
}
