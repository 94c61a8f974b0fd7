import { DTypeError, ValueError, type Generator } from '@fovea/core';
import { chw, type HostTensor } from '../host.js';
import { LUMA } from './channels.js';
import { permutation } from '../permutation.js';
import { rngOr, type Transform } from './transform.js';

/** A float32 CHW image with values in [0, 1] (what the colour functions work on). */
function floatImage(x: HostTensor, who: string): { c: number; plane: number; data: Float32Array } {
  const { c, h, w } = chw(x, who);
  if (!(x.data instanceof Float32Array)) throw new DTypeError(`${who}: expected a float32 image in [0, 1], got ${x.data.constructor.name}; apply ToFloat first`);
  return { c, plane: h * w, data: x.data };
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** Luma of pixel p of an RGB image. */
function gray(data: Float32Array, plane: number, p: number): number {
  return LUMA[0] * data[p]! + LUMA[1] * data[plane + p]! + LUMA[2] * data[2 * plane + p]!;
}

/** `factor * x + (1 - factor) * other`, clamped to [0, 1]. */
function blend(x: HostTensor, other: (i: number) => number, factor: number): HostTensor {
  const data = x.data as Float32Array;
  return { data: data.map((v, i) => clamp01(factor * v + (1 - factor) * other(i))), shape: x.shape };
}

/** Scales intensities: 0 is black, 1 the original. */
export function adjustBrightness(x: HostTensor, factor: number): HostTensor {
  floatImage(x, 'adjustBrightness');
  return blend(x, () => 0, factor);
}

/** Blends with the image's mean gray level: 0 is flat gray, 1 the original. */
export function adjustContrast(x: HostTensor, factor: number): HostTensor {
  const { c, plane, data } = floatImage(x, 'adjustContrast');
  let sum = 0;
  for (let p = 0; p < plane; p++) sum += c >= 3 ? gray(data, plane, p) : data[p]!;
  const meanGray = sum / plane;
  return blend(x, () => meanGray, factor);
}

/** Blends with the grayscale image: 0 is gray, 1 the original, 2 doubly saturated. RGB only. */
export function adjustSaturation(x: HostTensor, factor: number): HostTensor {
  const { c, plane, data } = floatImage(x, 'adjustSaturation');
  if (c !== 3) throw new ValueError(`adjustSaturation: needs an RGB image, got ${c} channels`);
  return blend(x, (i) => gray(data, plane, i % plane), factor);
}

/** Rotates hue by `shift` turns (in [-0.5, 0.5]) in HSV space. RGB only. */
export function adjustHue(x: HostTensor, shift: number): HostTensor {
  const { c, plane, data } = floatImage(x, 'adjustHue');
  if (c !== 3) throw new ValueError(`adjustHue: needs an RGB image, got ${c} channels`);
  const out = new Float32Array(data.length);
  for (let p = 0; p < plane; p++) {
    const [h, s, v] = rgbToHsv(data[p]!, data[plane + p]!, data[2 * plane + p]!);
    const [r, g, b] = hsvToRgb((((h + shift) % 1) + 1) % 1, s, v);
    out[p] = r;
    out[plane + p] = g;
    out[2 * plane + p] = b;
  }
  return { data: out, shape: x.shape };
}

function rgbToHsv(r: number, g: number, b: number): [number, number, number] {
  const max = Math.max(r, g, b);
  const d = max - Math.min(r, g, b);
  if (d === 0) return [0, 0, max];
  const h = max === r ? (g - b) / d : max === g ? 2 + (b - r) / d : 4 + (r - g) / d;
  return [(((h / 6) % 1) + 1) % 1, d / max, max];
}

function hsvToRgb(h: number, s: number, v: number): [number, number, number] {
  const f = (n: number) => {
    const k = (n + h * 6) % 6;
    return v - v * s * Math.max(0, Math.min(k, 4 - k, 1));
  };
  return [f(5), f(3), f(1)];
}

export interface ColorJitterOptions {
  /** Factor drawn from [max(0, 1 − b), 1 + b]. */
  brightness?: number;
  contrast?: number;
  saturation?: number;
  /** Hue shift drawn from [−hue, hue], hue ≤ 0.5. */
  hue?: number;
}

/** Random brightness, contrast, saturation and hue changes, applied in a random order. */
export class ColorJitter implements Transform {
  readonly #steps: ((x: HostTensor, rng: Generator) => HostTensor)[] = [];

  constructor(options: ColorJitterOptions) {
    const factor = (name: string, amount: number | undefined, adjust: (x: HostTensor, f: number) => HostTensor) => {
      if (!amount) return;
      if (!(amount > 0)) throw new ValueError(`ColorJitter: ${name} must be >= 0, got ${amount}`);
      const lo = Math.max(0, 1 - amount);
      this.#steps.push((x, rng) => adjust(x, lo + (1 + amount - lo) * rng.uniform()));
    };
    factor('brightness', options.brightness, adjustBrightness);
    factor('contrast', options.contrast, adjustContrast);
    factor('saturation', options.saturation, adjustSaturation);
    const hue = options.hue ?? 0;
    if (!(hue >= 0 && hue <= 0.5)) throw new ValueError(`ColorJitter: hue must be in [0, 0.5], got ${hue}`);
    if (hue) this.#steps.push((x, rng) => adjustHue(x, hue * (2 * rng.uniform() - 1)));
  }

  apply(x: HostTensor, rng?: Generator): HostTensor {
    const g = rngOr(rng);
    floatImage(x, 'ColorJitter');
    return permutation(this.#steps.length, g).reduce((v, i) => this.#steps[i]!(v, g), x);
  }
}
