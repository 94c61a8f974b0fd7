// Transfer learning with a small ResNet, end to end on the js backend (a minute or so):
//   1. "pretrain" on a source task: 4 kinds of grey gratings (horizontal, vertical, two diagonals);
//   2. transfer to a target task with 3 new classes — coloured, much noisier gratings at 0° and 45°
//      and checkerboards, 96 training images — by replacing the head and training it on a frozen backbone;
//   3. fine-tune everything, the backbone at 1/10 of the head's learning rate.
// Accuracy on held-out target images is printed as it climbs.
//
//   node --import=tsx --conditions=source plugins/models-resnet/examples/fine-tune.ts
import '@fovea/backend-js';
import { argmax, crossEntropy, equal, Generator, indexSelect, manualSeed, noGrad, sum, tensor, tidy, type Tensor } from '@fovea/core';
import { SGD } from '@fovea/optim';
import { fineTuneGroups, transfer, unfreeze } from '@fovea/vision';
import { ResNet } from '../src/index.js';

const SIZE = 16;

/** An RGB image of a sinusoidal grating (or a checkerboard for angle null) with random phase, period, tint and noise. */
function pattern(angle: number | null, g: Generator, colour: boolean, noise: number): Float32Array {
  const img = new Float32Array(3 * SIZE * SIZE);
  const period = 3 + 3 * g.uniform();
  const phase = 2 * Math.PI * g.uniform();
  const tint = [0, 1, 2].map(() => (colour ? 0.4 + 0.6 * g.uniform() : 1));
  const [c, s] = angle === null ? [0, 0] : [Math.cos(angle), Math.sin(angle)];
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const v = angle === null ? Math.sign(Math.sin((2 * Math.PI * x) / period + phase) * Math.sin((2 * Math.PI * y) / period)) : Math.sin((2 * Math.PI * (x * c + y * s)) / period + phase);
      for (let ch = 0; ch < 3; ch++) img[(ch * SIZE + y) * SIZE + x] = tint[ch]! * v + noise * g.normal();
    }
  }
  return img;
}

interface Split {
  x: Tensor;
  y: Tensor;
}

function dataset(kinds: (number | null)[], n: number, seed: number, colour: boolean, noise: number): Split {
  const g = new Generator(seed);
  const labels = Int32Array.from({ length: n }, (_, i) => i % kinds.length);
  const images = new Float32Array(n * 3 * SIZE * SIZE);
  labels.forEach((label, i) => images.set(pattern(kinds[label]!, g, colour, noise), i * 3 * SIZE * SIZE));
  return { x: tensor(images, [n, 3, SIZE, SIZE]), y: tensor(labels, [n]) };
}

function accuracy(model: ResNet, data: Split): number {
  model.eval();
  const correct = noGrad(() => tidy(() => sum(equal(argmax(model.call(data.x), 1), data.y)).item()));
  model.train();
  return correct / data.y.size;
}

function trainEpoch(model: ResNet, data: Split, optimizer: SGD, batch: number, g: Generator): void {
  const n = data.y.size;
  const order = Array.from({ length: n }, (_, i) => i).sort(() => g.uniform() - 0.5);
  for (let start = 0; start + batch <= n; start += batch) {
    tidy(() => {
      const idx = tensor(Int32Array.from(order.slice(start, start + batch)), [batch]);
      const loss = crossEntropy(model.call(indexSelect(data.x, 0, idx)), indexSelect(data.y, 0, idx));
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
    });
  }
}

export interface DemoOptions {
  pretrainEpochs?: number;
  headEpochs?: number;
  fineTuneEpochs?: number;
  log?: (line: string) => void;
}

/** Runs the three phases; returns the target accuracy before transfer training and after each epoch. */
export function fineTuneDemo(options: DemoOptions = {}): number[] {
  const log = options.log ?? (() => {});
  manualSeed(0);
  const g = new Generator(1);
  const Q = Math.PI / 4;
  const source = dataset([0, 2 * Q, Q, 3 * Q], 256, 10, false, 0.2);
  const target = dataset([0, Q, null], 96, 20, true, 1.5);
  const targetTest = dataset([0, Q, null], 96, 30, true, 1.5);

  const model = new ResNet('resnet-small', { block: 'basic', layers: [1, 1, 1, 1], basePlanes: 16 }, { numClasses: 4 });
  const pretrain = new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  for (let e = 0; e < (options.pretrainEpochs ?? 3); e++) {
    trainEpoch(model, source, pretrain, 32, g);
    log(`pretrain epoch ${e + 1}: source accuracy ${(accuracy(model, source) * 100).toFixed(1)}%`);
  }

  transfer(model, 3); // new 3-class head, backbone frozen
  const history = [accuracy(model, targetTest)];
  log(`new head, before training: target accuracy ${(history[0]! * 100).toFixed(1)}%`);
  const headOnly = new SGD(fineTuneGroups(model, { lr: 0.01 }), { lr: 0.01, momentum: 0.9 });
  for (let e = 0; e < (options.headEpochs ?? 3); e++) {
    trainEpoch(model, target, headOnly, 16, g);
    history.push(accuracy(model, targetTest));
    log(`head epoch ${e + 1} (backbone frozen): target accuracy ${(history.at(-1)! * 100).toFixed(1)}%`);
  }

  unfreeze(model);
  const groups = fineTuneGroups(model, { lr: 0.01 }); // backbone at 0.001, head at 0.01
  const all = new SGD(groups, { lr: 0.01, momentum: 0.9 });
  for (let e = 0; e < (options.fineTuneEpochs ?? 3); e++) {
    trainEpoch(model, target, all, 16, g);
    history.push(accuracy(model, targetTest));
    log(`fine-tune epoch ${e + 1} (backbone lr ${groups[0]!.lr}, head lr ${groups[1]!.lr}): target accuracy ${(history.at(-1)! * 100).toFixed(1)}%`);
  }
  return history;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) fineTuneDemo({ log: console.log });
