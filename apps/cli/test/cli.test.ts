import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { MNIST } from '@fovea/data';
import { Checkpoint } from '@fovea/train';
import { main } from '../src/main.js';

const dir = await mkdtemp(join(tmpdir(), 'fovea-cli-'));
const checkpoint = join(dir, 'mnist.safetensors');

/** Runs the CLI in this process, capturing what it prints. */
async function fovea(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } });
  return { code, out, err };
}

/** A PNG of MNIST digit `index` (scaled up and in RGB when `scale` > 1). */
async function digitPng(index: number, scale = 1): Promise<{ path: string; label: number }> {
  const [image, label] = new MNIST().getItem(index);
  const side = 28 * scale;
  const png = new PNG({ width: side, height: side });
  for (let i = 0; i < side * side; i++) {
    const v = image.data[Math.floor(Math.floor(i / side) / scale) * 28 + Math.floor((i % side) / scale)]!;
    png.data.set([v, v, v, 255], i * 4);
  }
  const path = join(dir, `digit-${index}-${scale}.png`);
  await writeFile(path, PNG.sync.write(png, { colorType: scale > 1 ? 2 : 0 }));
  return { path, label };
}

test.serial('train mnist: a short run trains, reports and writes a checkpoint with its configuration', async (t) => {
  const r = await fovea('train', 'mnist', '--epochs', '1', '--limit', '300', '--batch-size', '40', '--seed', '3', '--out', checkpoint);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /^backend: (wasm|js) \(/m);
  t.regex(r.out, /Total params: 9,098/);
  t.regex(r.out, /training cnn on 240 digits: 1 epoch, batch 40, Adam lr 0\.003/);
  t.regex(r.out, /^epoch 1\/1 {2}6\/6 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}lr 3\.00e-3 {2}[\d,]+ img\/s {2}[\d.]+ s\/epoch$/m);
  t.regex(r.out, /^time per epoch: [\d.]+ s$/m);
  t.regex(r.out, /^test accuracy \d+\.\d\d% on 60 images \(top-5 \d+\.\d\d%, loss \d\.\d{4}\)$/m);
  t.regex(r.out, /true ↓ {2}predicted →/);
  t.true((await stat(checkpoint)).size > 9098 * 4);
  const saved = await Checkpoint.read(checkpoint);
  saved.dispose();
  t.like(saved.extra, { task: 'mnist', model: 'cnn', epochs: 1, batchSize: 40, seed: 3, limit: 300, normalize: true });
  t.is(saved.epoch, 1);
});

test.serial('train --resume continues the saved run for more epochs', async (t) => {
  const r = await fovea('train', 'mnist', '--resume', checkpoint, '--epochs', '2');
  t.is(r.code, 0, r.err);
  t.notRegex(r.out, /^epoch 1\/2/m);
  t.regex(r.out, /^epoch 2\/2 {2}6\/6 .* lr 1\.80e-3 /m);
  t.regex(r.out, /^time per epoch: [\d.]+ s, [\d.]+ s$/m);
  t.is((await fovea('train', 'mnist', '--resume', checkpoint, '--lr', '1')).err, "fovea: --resume continues the saved run's settings; drop --lr\n");
});

test.serial('eval reports the checkpoint\'s test accuracy on its own split', async (t) => {
  const r = await fovea('eval', checkpoint);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /mnist\.safetensors: cnn trained for 2 epochs \(seed 3\)/);
  t.regex(r.out, /^test accuracy \d+\.\d\d% on 60 images/m);
  t.regex(r.out, /recall/);
});

test.serial('predict classifies a 28×28 PNG; other sizes need --resize', async (t) => {
  const { path } = await digitPng(4321);
  const r = await fovea('predict', checkpoint, path);
  t.is(r.code, 0, r.err);
  t.regex(r.out, /digit-4321-1\.png: \d \(\d+\.\d%\); next \d \(\d+\.\d%\), \d \(\d+\.\d%\)$/m);

  const big = await digitPng(4321, 2);
  const bad = await fovea('predict', checkpoint, big.path);
  t.is(bad.code, 1);
  t.is(bad.err, `fovea: ${big.path} is 56×56 RGB; the model takes 28×28 grayscale digits (pass --resize to convert it)\n`);
  const resized = await fovea('predict', checkpoint, big.path, '--resize');
  t.is(resized.code, 0, resized.err);
  t.is(resized.out.split('\n').at(-2)!.split(': ')[1], r.out.split('\n').at(-2)!.split(': ')[1]);
});

test.serial('bad input is one line on stderr and a non-zero exit', async (t) => {
  const cases: [string[], number, RegExp][] = [
    [['frobnicate'], 2, /^fovea: unknown command 'frobnicate'; commands: train, eval, predict/],
    [['train', 'cifar'], 2, /^fovea: unknown dataset 'cifar'/],
    [['train', 'mnist', '--epochs', 'two'], 2, /^fovea: --epochs must be an integer >= 1, got 'two'/],
    [['train', 'mnist', '--model', 'resnet'], 2, /^fovea: unknown model 'resnet'; choose cnn or mlp/],
    [['train', 'mnist', '--wat'], 2, /^fovea: Unknown option '--wat'/],
    [['eval'], 2, /^fovea: expected checkpoint \(fovea eval CHECKPOINT\), got nothing/],
    [['eval', checkpoint, '--resize'], 2, /^fovea: 'fovea eval' does not take --resize; it takes --backend, --batch-size/],
    [['eval', join(dir, 'missing.safetensors')], 1, /^fovea: .*missing\.safetensors: no such checkpoint file/],
    [['predict', checkpoint, join(dir, 'missing.png')], 1, /^fovea: .*missing\.png: no such file or directory$/m],
    [['predict', checkpoint, checkpoint], 1, /^fovea: .*: not a PNG or JPEG file/],
    [['eval', checkpoint, '--backend', 'tpu'], 1, /^fovea: unknown backend 'tpu'; registered: .*js/],
  ];
  for (const [argv, code, message] of cases) {
    const r = await fovea(...argv);
    t.is(r.code, code, argv.join(' '));
    t.regex(r.err, message);
    t.is(r.err.trimEnd().split('\n').length, 1, r.err);
  }
});

test.serial('a corrupted checkpoint is refused; the command exits 1 without a stack trace', async (t) => {
  const bytes = await readFile(checkpoint);
  const corrupted = join(dir, 'corrupted.safetensors');
  bytes[bytes.length - 5]! ^= 0x55;
  await writeFile(corrupted, bytes);
  const run = promisify(execFile);
  const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
  const error = await run(process.execPath, ['--import=tsx', '--conditions=source', cli, 'eval', corrupted]).catch((e: { code: number; stderr: string }) => e);
  t.like(error, { code: 1 });
  const lines = (error as { stderr: string }).stderr.trimEnd().split('\n');
  t.regex(lines.at(-1)!, /^fovea: .*corrupted\.safetensors: corrupted checkpoint, the tensor data does not match its checksum$/);
  // Only our stack frames count: Dawn may log native frames when no GPU is found.
  t.false(lines.some((l) => /^\s+at .*\.[cm]?[jt]s:\d+/.test(l)));
});
