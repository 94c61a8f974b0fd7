import test from 'ava';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualSeed, memory } from '@fovea/core';
import { CrossEntropyLoss } from '@fovea/nn';
import { EarlyStopping, evaluate, fit, ModelCheckpoint, TopKAccuracy, type Callback, type FitState } from '../src/index.js';
import { StepLR } from '@fovea/optim';
import { blobs, loaderOf, mlp, sgd } from './helpers.js';

const dir = await mkdtemp(join(tmpdir(), 'fovea-fit-'));
const train = blobs(96, 1);
const val = blobs(48, 2);
const loss = new CrossEntropyLoss();

/** A fresh model, optimizer and loader from fixed seeds. */
function setup(seed = 0) {
  manualSeed(seed);
  const model = mlp();
  return { model, optimizer: sgd(model), loader: loaderOf(train, 16) };
}

/** Records every batch loss. */
class LossLog implements Callback {
  losses: number[] = [];
  onBatchEnd(_: FitState, batch: { loss: number }) {
    this.losses.push(batch.loss);
  }
}

test.serial('fit learns, logs per epoch, validates, and keeps memory flat', async (t) => {
  const { model, optimizer, loader } = setup();
  const sizes: number[] = [];
  const history = await fit(model, loader, {
    optimizer,
    loss,
    epochs: 6,
    metrics: ['accuracy'],
    validation: loaderOf(val, 48, false),
    progress: false,
    callbacks: [{ onEpochEnd: () => void sizes.push(memory().numTensors) }],
  });
  t.is(history.records.length, 6);
  t.deepEqual(history.series('epoch'), [1, 2, 3, 4, 5, 6]);
  t.true(history.last!.loss! < history.records[0]!.loss! / 2);
  t.true(history.last!.valAccuracy! > 0.9);
  t.true(history.series('time').every((s) => s > 0));
  t.is(history.last!.lr, 0.05);
  t.deepEqual(Object.keys(history.last!).sort(), ['accuracy', 'epoch', 'loss', 'lr', 'time', 'valAccuracy', 'valLoss']);
  t.is(new Set(sizes.slice(1)).size, 1, `live tensors per epoch: ${sizes.join(', ')}`);
  t.true(model.training);

  const top1 = new TopKAccuracy(1);
  top1.update([0, 1], [0]);
  const result = await evaluate(model, loaderOf(val, 10), { metrics: [top1, 'top2'], loss });
  t.is(result.accuracy, history.last!.valAccuracy);
  t.true(result.top2! >= result.accuracy!);
  t.true(Math.abs(result.loss! - history.last!.valLoss!) < 1e-5);
});

test.serial('resuming from a mid-epoch checkpoint reproduces the next 20 losses exactly', async (t) => {
  const full = new LossLog();
  const a = setup(1);
  // 6 batches per epoch, a checkpoint after batch 4 of each: mid-1 is at global step 6 + 4 = 10.
  const every4 = new ModelCheckpoint(join(dir, 'mid-{epoch}.safetensors'), { everySteps: 4 });
  await fit(a.model, a.loader, { optimizer: a.optimizer, loss, epochs: 5, progress: false, callbacks: [full, every4] });

  const b = setup(2);
  const resumed = new LossLog();
  let started: number[] = [];
  const onTrainBegin = (s: FitState) => void (started = [s.epoch, s.step]);
  await fit(b.model, b.loader, { optimizer: b.optimizer, loss, epochs: 5, progress: false, resume: join(dir, 'mid-1.safetensors'), callbacks: [{ onTrainBegin }, resumed] });
  t.deepEqual(started, [1, 4]);
  t.is(resumed.losses.length, 20);
  t.deepEqual(resumed.losses, full.losses.slice(10, 30));
});

test.serial('resuming at an epoch boundary continues epochs, history and the scheduler', async (t) => {
  const path = join(dir, 'epoch-{epoch}.safetensors');
  const full = new LossLog();
  const a = setup(3);
  const scheduler = new StepLR(a.optimizer, { stepSize: 2, gamma: 0.5 });
  const historyA = await fit(a.model, a.loader, { optimizer: a.optimizer, loss, epochs: 6, scheduler, progress: false, callbacks: [full, new ModelCheckpoint(path)] });

  const b = setup(4);
  const resumed = new LossLog();
  const schedulerB = new StepLR(b.optimizer, { stepSize: 2, gamma: 0.5 });
  const historyB = await fit(b.model, b.loader, { optimizer: b.optimizer, loss, epochs: 6, scheduler: schedulerB, progress: false, resume: join(dir, 'epoch-2.safetensors'), callbacks: [resumed] });
  t.deepEqual(resumed.losses, full.losses.slice(12));
  t.is(resumed.losses.length, 24);
  t.is(schedulerB.lastEpoch, 6);
  t.deepEqual(historyB.series('lr'), [0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]);
  t.deepEqual(historyB.series('loss'), historyA.series('loss'));
});

test.serial('early stopping stops when the monitored value stops improving and can restore the best weights', async (t) => {
  const { model, optimizer, loader } = setup();
  let calls = 0;
  const stopper = new EarlyStopping({ monitor: 'fake', patience: 2, restoreBestWeights: true });
  const values = [3, 2, 2.5, 2.1, 1, 0];
  let bestWeights: number[] = [];
  const history = await fit(model, loader, {
    optimizer,
    loss,
    epochs: 6,
    progress: false,
    callbacks: [
      {
        onEpochEnd: (_s, logs) => {
          logs.fake = values[calls++]!;
          if (logs.fake === 2) bestWeights = [...model.parameters()[0]!.dataSync()];
        },
      },
      stopper,
    ],
  });
  t.is(history.records.length, 4);
  t.is(stopper.stoppedEpoch, 4);
  t.deepEqual([...model.parameters()[0]!.dataSync()], bestWeights);
  await t.throwsAsync(fit(model, loader, { optimizer, loss, epochs: 1, progress: false, callbacks: [new EarlyStopping()] }), { message: /'valLoss' is not logged; logged: epoch, loss, lr/ });
});

test.serial('ModelCheckpoint with a monitor saves only epochs that improve it', async (t) => {
  const { model, optimizer, loader } = setup();
  const values = [0.5, 0.7, 0.4, 0.45];
  const saver = new ModelCheckpoint(join(dir, 'best-{epoch}.safetensors'), { monitor: 'fakeAccuracy' });
  const fake = { onEpochEnd: (_s: FitState, logs: Record<string, number>) => void (logs.fakeAccuracy = values[logs.epoch! - 1]!) };
  await fit(model, loader, { optimizer, loss, epochs: 4, progress: false, callbacks: [fake, saver] });
  t.deepEqual((await readdir(dir)).filter((f) => f.startsWith('best-')).sort(), ['best-1.safetensors', 'best-2.safetensors']);
  t.is(saver.lastPath, join(dir, 'best-2.safetensors'));
});

test.serial('schedulerMonitor passes a logged value to the scheduler, and must be logged', async (t) => {
  const { model, optimizer, loader } = setup();
  const seen: number[] = [];
  const scheduler = { step: (m?: number) => void seen.push(m!), stateDict: () => ({}), loadStateDict: () => undefined };
  const history = await fit(model, loader, { optimizer, loss, epochs: 3, scheduler, schedulerMonitor: 'loss', progress: false });
  t.deepEqual(seen, history.series('loss'));
  await t.throwsAsync(fit(model, loader, { optimizer, loss, epochs: 1, scheduler, schedulerMonitor: 'valLoss', progress: false }), {
    message: "fit: schedulerMonitor 'valLoss' is not logged; logged: epoch, loss, lr",
  });
});

test.serial('the progress bar prints plain lines when not on a terminal', async (t) => {
  const { model, optimizer, loader } = setup();
  const lines: string[] = [];
  await fit(model, loader, { optimizer, loss, epochs: 2, metrics: ['accuracy'], progress: { stream: { write: (s: string) => lines.push(s) }, intervalMs: 0, unit: 'img' } });
  t.is(lines.length, 2 * 6);
  t.true(lines.every((l) => l.endsWith('\n') && !l.includes('\r')));
  t.regex(lines[2]!, /^epoch 1\/2 {2}3\/6 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}[\d,]+ img\/s {2}ETA 0:\d\d\n$/);
  t.regex(lines[5]!, /^epoch 1\/2 {2}6\/6 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}lr 5\.00e-2 {2}[\d,]+ img\/s {2}\d+\.\d s\/epoch\n$/);
});

test.serial('the progress bar redraws one line on a terminal', async (t) => {
  const { model, optimizer, loader } = setup();
  let out = '';
  await fit(model, loader, { optimizer, loss, epochs: 1, progress: { stream: { isTTY: true, columns: 200, write: (s: string) => (out += s) }, intervalMs: 0 } });
  t.is(out.split('\n').length, 2);
  t.regex(out, /\r\x1b\[2Kepoch 1\/1 ━+─+ 3\/6 {2}loss/);
});
