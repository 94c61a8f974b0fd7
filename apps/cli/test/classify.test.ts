import test from 'ava';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import '@fovea/backend-js';
import { models } from '@fovea/core';
import { saveSafetensors } from '@fovea/io';
import '@fovea/models-squeezenet';
import { main } from '../src/main.js';

const dir = await mkdtemp(join(tmpdir(), 'fovea-classify-'));

async function fovea(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

async function weightsOf(name: 'squeezenet1_0' | 'squeezenet1_1'): Promise<string> {
  const path = join(dir, `${name}.safetensors`);
  const model = models.create(name);
  await saveSafetensors(path, model.stateDict());
  model.dispose();
  return path;
}

async function rgbPng(width: number, height: number): Promise<string> {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([(i * 7) % 256, (i * 13) % 256, (i * 29) % 256, 255], i * 4);
  const path = join(dir, `image-${width}x${height}.png`);
  await writeFile(path, PNG.sync.write(png, { colorType: 2 }));
  return path;
}

test.serial('fovea classify prints the top-k ImageNet classes of an image', async (t) => {
  const weights = await weightsOf('squeezenet1_1');
  const image = await rgbPng(48, 40);
  const r = await fovea('classify', '--model', 'squeezenet1_1', '--weights', weights, '--topk', '3', image);
  t.is(r.code, 0, r.err);
  const lines = r.out.trim().split('\n');
  t.regex(lines[0]!, /^backend: /);
  t.is(lines[1], `${image}:`);
  t.is(lines.length, 5);
  for (const l of lines.slice(2)) t.regex(l, /^ {2}\d\. .+ \(class \d+\) \d+\.\d%$/);
});

test.serial('fovea classify: missing or unknown model, missing weights, weights of another architecture', async (t) => {
  const image = await rgbPng(32, 32);
  const none = await fovea('classify', image);
  t.is(none.code, 2);
  t.regex(none.err, /--model NAME is required; models: .*resnet18/);
  t.regex((await fovea('classify', '--model', 'resnet19', '--weights', 'x', image)).err, /unknown model 'resnet19'/);
  t.regex((await fovea('classify', '--model', 'squeezenet1_1', image)).err, /--weights FILE is required/);
  const wrong = await fovea('classify', '--model', 'squeezenet1_1', '--weights', await weightsOf('squeezenet1_0'), image);
  t.is(wrong.code, 1);
  t.regex(wrong.err, /^fovea: loadStateDict: .*mis-shaped: features\.0\.weight \(expected \[64, 3, 3, 3\], got \[96, 3, 7, 7\]\)/);
});
