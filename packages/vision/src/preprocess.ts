import { tensor, type Tensor } from '@fovea/core';
import { CenterCrop, Compose, convertChannels, Normalize, Resize, ToFloat, type HostTensor, type Transform } from '@fovea/data';

export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;

export interface PreprocessOptions {
  /** Shorter side after resizing (default 256). */
  resize?: number;
  /** Side of the centre crop fed to the network (default 224). */
  crop?: number;
  mean?: readonly number[];
  std?: readonly number[];
}

/**
 * torchvision's ImageNet evaluation transform for a CHW image (uint8 pixels or floats in
 * [0, 1], any of 1–4 channels): to RGB, shorter side to `resize` (antialiased bilinear), centre
 * crop `crop`, scale to [0, 1], normalise with ImageNet's channel mean and std.
 */
export function imagenetTransform(options: PreprocessOptions = {}): Transform<HostTensor, HostTensor> {
  return new Compose([
    { apply: (x: HostTensor) => convertChannels(x, 3) },
    new Resize(options.resize ?? 256),
    new CenterCrop(options.crop ?? 224),
    new ToFloat(),
    new Normalize([...(options.mean ?? IMAGENET_MEAN)], [...(options.std ?? IMAGENET_STD)]),
  ]);
}

/** Preprocesses host images into one NCHW batch tensor. */
export function preprocess(images: HostTensor | readonly HostTensor[], options: PreprocessOptions = {}): Tensor {
  const list = Array.isArray(images) ? (images as readonly HostTensor[]) : [images as HostTensor];
  const transform = imagenetTransform(options);
  const done = list.map((img) => transform.apply(img));
  const [c, h, w] = done[0]!.shape as [number, number, number];
  const batch = new Float32Array(list.length * c * h * w);
  done.forEach((d, i) => batch.set(d.data, i * c * h * w));
  return tensor(batch, [list.length, c, h, w]);
}
