import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DatasetError } from '../errors.js';
import type { HostTensor } from '../host.js';

export interface DecodeLimits {
  /** Largest image accepted, in pixels, checked before decoding (default 100 million). */
  maxPixels?: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function isPNG(bytes: Uint8Array): boolean {
  return PNG_SIGNATURE.every((b, i) => bytes[i] === b);
}

function isJPEG(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Interleaved HWC pixels (`stride` values per pixel, keeping those at `picks`) to planar CHW. */
function toCHW(hwc: Uint8Array, height: number, width: number, stride: number, picks: readonly number[]): HostTensor {
  const plane = height * width;
  const out = new Uint8Array(picks.length * plane);
  picks.forEach((pick, c) => {
    for (let p = 0; p < plane; p++) out[c * plane + p] = hwc[p * stride + pick]!;
  });
  return { data: out, shape: [picks.length, height, width] };
}

function decodePNG(bytes: Uint8Array, name: string, maxPixels: number): HostTensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 24) throw new DatasetError(`${name}: truncated PNG (${bytes.byteLength} bytes)`);
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  if (width * height > maxPixels) throw new DatasetError(`${name}: PNG claims ${width}x${height} pixels, over the ${maxPixels}-pixel limit`);
  const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as PNG & { color?: boolean; alpha?: boolean };
  // pngjs always gives RGBA; keep the channels the file has: gray, gray+alpha, RGB or RGBA.
  const picks = [...(png.color ? [0, 1, 2] : [0]), ...(png.alpha ? [3] : [])];
  return toCHW(new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength), png.height, png.width, 4, picks);
}

/** Decodes a PNG or JPEG file's bytes to a [C, H, W] Uint8Array (JPEGs decode as RGB). */
export function decodeImage(bytes: Uint8Array, name: string, limits: DecodeLimits = {}): HostTensor {
  const maxPixels = limits.maxPixels ?? 100e6;
  try {
    if (isPNG(bytes)) return decodePNG(bytes, name, maxPixels);
    if (isJPEG(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: false, maxResolutionInMP: maxPixels / 1e6 });
      return toCHW(img.data, img.height, img.width, 3, [0, 1, 2]);
    }
  } catch (e) {
    if (e instanceof DatasetError) throw e;
    throw new DatasetError(`${name}: cannot decode image: ${(e as Error).message}`);
  }
  throw new DatasetError(`${name}: not a PNG or JPEG file`);
}
