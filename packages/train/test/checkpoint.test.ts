import test from 'ava';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crossEntropy, getRngState, manualSeed, tensor, type Tensor } from '@fovea/core';
import { saveSafetensors } from '@fovea/io';
import { StateDictError } from '@fovea/nn';
import { Checkpoint, CheckpointError, loadCheckpoint, saveCheckpoint } from '../src/index.js';
import { StepLR } from '@fovea/optim';
import { blobs, loaderOf, mlp, sgd } from './helpers.js';
import { fit } from '../src/index.js';

const dir = await mkdtemp(join(tmpdir(), 'fovea-ckpt-'));

/** A model, optimizer and scheduler after `epochs` epochs of training (0: fresh). */
async function trained(seed: number, epochs = 0) {
  manualSeed(seed);
  const model = mlp();
  const optimizer = sgd(model);
  const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
  await fit(model, loaderOf(blobs(32), 8), { optimizer, scheduler, loss: crossEntropy, epochs, progress: false });
  return { model, optimizer, scheduler };
}

const momentum = (o: ReturnType<typeof sgd>) => [...o.state.values()].map((s) => [...(s.momentumBuffer as Tensor).dataSync()]);

const values = (m: ReturnType<typeof mlp>) => [...m.stateDict().values()].map((t) => [...t.dataSync()]);

test.serial('a checkpoint restores model, optimizer, scheduler, loader, RNG, position and extras', async (t) => {
  const path = join(dir, 'nested', 'a.safetensors');
  const a = await trained(1, 3);
  const loader = { saved: { seed: [1, 2, 3, 4, NaN] }, state() { return this.saved; }, loadState(s: { seed: number[] }) { this.saved = s; } };
  manualSeed(99);
  const rng = getRngState();
  await saveCheckpoint(path, { ...a, loader, epoch: 2, step: 3, history: [{ epoch: 1, loss: 0.5, accuracy: NaN }], extra: { arch: 'mlp', sizes: [4, 16, 3] } });

  const b = await trained(2);
  const loader2 = { saved: {} as unknown, state() { return this.saved; }, loadState(s: unknown) { this.saved = s; } };
  manualSeed(5);
  const ckpt = await loadCheckpoint(path, { ...b, loader: loader2 });
  t.deepEqual(values(b.model), values(a.model));
  t.is(momentum(b.optimizer).length, 4);
  t.deepEqual(momentum(b.optimizer), momentum(a.optimizer));
  t.is(b.scheduler.lastEpoch, 3);
  t.is(b.optimizer.paramGroups[0]!.lr, 0.05 / 8);
  t.deepEqual(loader2.saved, { seed: [1, 2, 3, 4, NaN] });
  t.deepEqual(getRngState(), rng);
  t.is(ckpt.epoch, 2);
  t.is(ckpt.step, 3);
  t.deepEqual(ckpt.history, [{ epoch: 1, loss: 0.5, accuracy: NaN }]);
  t.deepEqual(ckpt.extra, { arch: 'mlp', sizes: [4, 16, 3] });
});

test.serial('Checkpoint.read gives the configuration before anything is built; restore can skip the RNG', async (t) => {
  const path = join(dir, 'b.safetensors');
  await saveCheckpoint(path, { model: (await trained(1)).model, extra: { arch: 'mlp' } });
  const ckpt = await Checkpoint.read(path);
  t.deepEqual(ckpt.extra, { arch: 'mlp' });
  t.true(ckpt.has('model'));
  t.false(ckpt.has('optimizer'));
  t.deepEqual([...ckpt.modelState().keys()], ['0.weight', '0.bias', '3.weight', '3.bias']);
  const fresh = mlp();
  manualSeed(3);
  const rng = getRngState();
  ckpt.restore({ model: fresh, rng: false });
  t.deepEqual(getRngState(), rng);
  const { optimizer } = await trained(1);
  t.throws(() => ckpt.restore({ model: mlp(), optimizer }), { instanceOf: CheckpointError, message: /holds no optimizer state/ });
  ckpt.dispose();
});

test.serial('a state dict that does not fit the model is the model\'s typed error', async (t) => {
  const path = join(dir, 'c.safetensors');
  await saveCheckpoint(path, { model: (await trained(1)).model });
  const { Linear, Sequential } = await import('@fovea/nn');
  await t.throwsAsync(loadCheckpoint(path, { model: new Sequential(new Linear(4, 3)) }), { instanceOf: StateDictError });
});

test.serial('missing, truncated, corrupted and foreign files are CheckpointErrors naming the problem', async (t) => {
  const path = join(dir, 'd.safetensors');
  await saveCheckpoint(path, { model: (await trained(1)).model });
  const bytes = await readFile(path);
  const model = mlp();

  await t.throwsAsync(loadCheckpoint(join(dir, 'nope.safetensors'), { model }), { instanceOf: CheckpointError, message: /no such checkpoint file/ });
  await t.throwsAsync(loadCheckpoint(dir, { model }), { instanceOf: CheckpointError, message: /directory/ });

  const truncated = join(dir, 'truncated.safetensors');
  await writeFile(truncated, bytes.subarray(0, bytes.length - 10));
  await t.throwsAsync(loadCheckpoint(truncated, { model }), { instanceOf: CheckpointError, message: /truncated/ });

  const flipped = join(dir, 'flipped.safetensors');
  const copy = Buffer.from(bytes);
  copy[copy.length - 3]! ^= 0xff;
  await writeFile(flipped, copy);
  await t.throwsAsync(loadCheckpoint(flipped, { model }), { instanceOf: CheckpointError, message: /does not match its checksum/ });

  const garbage = join(dir, 'garbage.safetensors');
  await writeFile(garbage, 'hello, not a checkpoint');
  await t.throwsAsync(loadCheckpoint(garbage, { model }), { instanceOf: CheckpointError, message: /not a readable checkpoint/ });

  const plain = join(dir, 'plain.safetensors');
  await saveSafetensors(plain, { w: tensor([1, 2]) });
  await t.throwsAsync(loadCheckpoint(plain, { model }), { instanceOf: CheckpointError, message: /not a Fovea checkpoint/ });

  const badState = join(dir, 'bad-state.safetensors');
  await saveSafetensors(badState, { w: tensor([1, 2]) }, { format: 'fovea-checkpoint', version: '1', state: '{"epoch": 1' });
  await t.throwsAsync(loadCheckpoint(badState, { model }), { instanceOf: CheckpointError, message: /not JSON/ });
});

test.serial('a failed save leaves the previous checkpoint intact', async (t) => {
  const path = join(dir, 'e.safetensors');
  const { model } = await trained(1);
  await saveCheckpoint(path, { model, epoch: 1 });
  const before = await readFile(path);
  const broken = { stateDict: () => ({ when: new Date() }), loadStateDict() {} };
  await t.throwsAsync(saveCheckpoint(path, { model, optimizer: broken, epoch: 2 }), { instanceOf: CheckpointError, message: /optimizer.when.*Date/ });
  const bad = mlp();
  [...bad.stateDict().values()][0]!.dispose();
  await t.throwsAsync(saveCheckpoint(path, { model: bad, epoch: 3 }));
  t.deepEqual(await readFile(path), before);
  t.is((await loadCheckpoint(path, { model: mlp() })).epoch, 1);
});
