import { readFile } from 'node:fs/promises';
import { noGrad, ShapeError, softmax, tensor, tidy } from '@fovea/core';
import { convertChannels, decodeImage, resize, type HostTensor } from '@fovea/data';
import { allowFlags, positionals, type CommandLine } from '../args.js';
import { announceBackend } from '../backends.js';
import { preprocess } from '../mnist.js';
import { line, type Output } from '../output.js';
import { loadTrained } from '../trained.js';

/**
 * `fovea predict CHECKPOINT IMAGE`: classifies a PNG or JPEG digit. The image must be 28×28
 * grayscale, white on black like MNIST; `--resize` converts any size and colour, `--invert`
 * flips black-on-white drawings.
 */
export async function predictCommand(cmd: CommandLine, out: Output): Promise<void> {
  allowFlags(cmd, ['backend', 'resize', 'invert']);
  const [checkpoint, imagePath] = positionals(cmd, ['checkpoint', 'image']);
  await announceBackend(cmd, out);
  const { model, config } = await loadTrained(checkpoint!);
  let image = decodeImage(await readFile(imagePath!), imagePath!);
  image = cmd.flags.resize ? resize(convertChannels(image, 1), [28, 28]) : checkDigitShape(image, imagePath!);
  if (cmd.flags.invert) image = invert(image);
  const pixels = preprocess(config.normalize).apply(image);
  const probs = noGrad(() => tidy(() => softmax(model.call(tensor(pixels.data, [1, 1, 28, 28])), 1)));
  const p = await probs.data();
  probs.dispose();
  const ranked = [...p.keys()].sort((a, b) => p[b]! - p[a]!);
  const pct = (i: number) => `${(p[i]! * 100).toFixed(1)}%`;
  line(out.stdout, `${imagePath}: ${ranked[0]} (${pct(ranked[0]!)}); next ${ranked.slice(1, 3).map((i) => `${i} (${pct(i)})`).join(', ')}`);
}

/** A 28×28 single-channel image, or a ShapeError naming what the file is. */
function checkDigitShape(image: HostTensor, name: string): HostTensor {
  const [c, h, w] = image.shape as [number, number, number];
  if (c === 1 && h === 28 && w === 28) return image;
  const kind = ['grayscale', 'grayscale + alpha', 'RGB', 'RGBA'][c - 1] ?? `${c}-channel`;
  throw new ShapeError(`${name} is ${w}×${h} ${kind}; the model takes 28×28 grayscale digits (pass --resize to convert it)`);
}

function invert(image: HostTensor): HostTensor {
  return { data: image.data.map((v) => 255 - v), shape: image.shape };
}
