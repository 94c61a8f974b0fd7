import '@fovea/backend-js';
import test from 'ava';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@fovea/core';
import { atomicWriteFile, loadSafetensors, saveSafetensors } from '../src/index.js';

async function scratch(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'fovea-atomic-'));
}

test('atomicWriteFile writes bytes and text, replacing the old file', async (t) => {
  const dir = await scratch();
  const path = join(dir, 'notes.txt');
  await atomicWriteFile(path, 'first');
  await atomicWriteFile(path, new TextEncoder().encode('second'));
  t.is(await readFile(path, 'utf8'), 'second');
  t.deepEqual(await readdir(dir), ['notes.txt']);
});

test('a save that fails halfway leaves the previous file intact and no temporary file', async (t) => {
  const dir = await scratch();
  const path = join(dir, 'ckpt.safetensors');
  await saveSafetensors(path, { w: tensor([1, 2, 3]) }, { epoch: '1' });
  const before = await readFile(path);
  const failure = await t.throwsAsync(
    atomicWriteFile(path, async (sink) => {
      await sink.write(new Uint8Array(1000).fill(7));
      throw new Error('disk full');
    }),
  );
  t.is(failure?.message, 'disk full');
  t.deepEqual(await readFile(path), before);
  t.deepEqual(await readdir(dir), ['ckpt.safetensors']);
  const { tensors, metadata } = await loadSafetensors(path);
  t.deepEqual(tensors.get('w')!.toArray(), [1, 2, 3]);
  t.is(metadata.epoch, '1');
});

test('saveSafetensors with a tensor disposed mid-list keeps the previous checkpoint', async (t) => {
  const dir = await scratch();
  const path = join(dir, 'ckpt.safetensors');
  await saveSafetensors(path, { w: tensor([1, 2, 3]) });
  const before = await readFile(path);
  const gone = tensor([4]);
  gone.dispose();
  await t.throwsAsync(saveSafetensors(path, { w: tensor([9, 9, 9]), gone }), { message: /disposed/ });
  t.deepEqual(await readFile(path), before);
  t.deepEqual(await readdir(dir), ['ckpt.safetensors']);
});

test('saving into a missing directory fails without creating anything', async (t) => {
  const dir = await scratch();
  await t.throwsAsync(saveSafetensors(join(dir, 'nope', 'x.safetensors'), { w: tensor([1]) }), { code: 'ENOENT' });
  t.deepEqual(await readdir(dir), []);
});
