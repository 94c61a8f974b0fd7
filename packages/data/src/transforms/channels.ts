import { ValueError } from '@fovea/core';
import { allocLike, chw, type HostTensor } from '../host.js';

/** ITU-R 601 luma weights as torchvision's rgb_to_grayscale rounds them. */
export const LUMA = [0.2989, 0.587, 0.114] as const;

/**
 * Converts a CHW image between 1 (gray), 2 (gray + alpha), 3 (RGB) and 4 (RGBA) channels to 1, 3
 * or 4: gray is replicated, RGB becomes luma, alpha is kept for RGBA and otherwise dropped, or
 * added opaque (255 for uint8, 1 for float).
 */
export function convertChannels(x: HostTensor, channels: 1 | 3 | 4): HostTensor {
  const { c, h, w } = chw(x, 'convertChannels');
  if (c === channels) return x;
  if (c < 1 || c > 4) throw new ValueError(`convertChannels: cannot convert a ${c}-channel image`);
  const plane = h * w;
  const src = x.data;
  const out = allocLike(src, channels * plane);
  const round = src instanceof Uint8Array ? Math.round : (v: number) => v;
  const colour = c >= 3;
  const alpha = c === 2 || c === 4 ? (p: number) => src[(c - 1) * plane + p]! : () => (src instanceof Uint8Array ? 255 : 1);
  for (let p = 0; p < plane; p++) {
    const r = src[p]!;
    const g = colour ? src[plane + p]! : r;
    const b = colour ? src[2 * plane + p]! : r;
    if (channels === 1) {
      out[p] = colour ? round(LUMA[0] * r + LUMA[1] * g + LUMA[2] * b) : r;
      continue;
    }
    out[p] = r;
    out[plane + p] = g;
    out[2 * plane + p] = b;
    if (channels === 4) out[3 * plane + p] = alpha(p);
  }
  return { data: out, shape: [channels, h, w] };
}
