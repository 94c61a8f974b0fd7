import { manualSeed } from '@fovea/core';
import { DataLoader } from '@fovea/data';
import { CrossEntropyLoss, summary } from '@fovea/nn';
import { Adam, ExponentialLR } from '@fovea/optim';
import { Checkpoint, fit, ModelCheckpoint, type Json, type Scheduler } from '@fovea/train';
import { allowFlags, intFlag, positionals, positiveFlag, stringFlag, type CommandLine } from '../args.js';
import { announceBackend } from '../backends.js';
import { RECIPES, runConfigOf, type RunConfig } from '../config.js';
import { UsageError } from '../errors.js';
import { mnistSplit } from '../mnist.js';
import { buildModel, modelName } from '../models.js';
import { line, plural, type Output } from '../output.js';
import { testReport } from '../report.js';

export const TRAIN_FLAGS = ['model', 'epochs', 'batch-size', 'lr', 'seed', 'limit', 'out', 'resume', 'backend'] as const;

/**
 * `fovea train mnist`: trains on the seeded 8,000-digit split with a progress bar, saves a
 * checkpoint after every epoch, then reports test accuracy and the confusion matrix.
 */
export async function trainCommand(cmd: CommandLine, out: Output): Promise<void> {
  allowFlags(cmd, TRAIN_FLAGS);
  const [dataset] = positionals(cmd, ['dataset']);
  if (dataset !== 'mnist') throw new UsageError(`unknown dataset '${dataset}'; 'fovea train' knows mnist`);
  const resume = stringFlag(cmd, 'resume');
  const config = resume ? await resumedConfig(cmd, resume) : freshConfig(cmd);
  const path = stringFlag(cmd, 'out') ?? resume ?? `runs/mnist-${config.model}.safetensors`;
  await announceBackend(cmd, out);

  manualSeed(config.seed);
  const data = mnistSplit(config.seed, config.normalize, config.limit);
  const model = buildModel(config.model);
  line(out.stdout, summary(model, [1, 28, 28]));
  const optimizer = new Adam(model.parameters(), { lr: config.lr });
  const loader = new DataLoader(data.train, { batchSize: config.batchSize, shuffle: true, seed: config.seed });
  line(out.stdout, `training ${config.model} on ${data.train.length} digits: ${plural(config.epochs, 'epoch')}, batch ${config.batchSize}, Adam lr ${config.lr}`);
  const history = await fit(model, loader, {
    optimizer,
    scheduler: schedule(config, optimizer),
    loss: new CrossEntropyLoss(),
    epochs: config.epochs,
    metrics: ['accuracy'],
    progress: { stream: out.stdout, unit: 'img' },
    callbacks: [new ModelCheckpoint(path)],
    resume,
    extra: config as unknown as Json,
  });
  const times = history.series('time');
  if (times.length) line(out.stdout, `time per epoch: ${times.map((s) => `${s.toFixed(1)} s`).join(', ')}`);
  await testReport(model, data.test, 500, out);
  line(out.stdout, `checkpoint: ${path}`);
}

function freshConfig(cmd: CommandLine): RunConfig {
  const model = modelName(stringFlag(cmd, 'model') ?? 'cnn');
  const recipe = RECIPES[model];
  const limit = cmd.flags.limit === undefined ? undefined : intFlag(cmd, 'limit', 0, 2);
  return {
    task: 'mnist',
    model,
    epochs: intFlag(cmd, 'epochs', recipe.epochs),
    batchSize: intFlag(cmd, 'batch-size', recipe.batchSize),
    lr: positiveFlag(cmd, 'lr', recipe.lr),
    seed: intFlag(cmd, 'seed', recipe.seed, 0),
    ...(limit === undefined ? {} : { limit }),
    normalize: recipe.normalize,
  };
}

/** A resumed run keeps the checkpoint's configuration; only --epochs may extend it. */
async function resumedConfig(cmd: CommandLine, path: string): Promise<RunConfig> {
  const fixed = TRAIN_FLAGS.filter((f) => !['epochs', 'resume', 'out', 'backend'].includes(f) && cmd.flags[f] !== undefined);
  if (fixed.length) throw new UsageError(`--resume continues the saved run's settings; drop ${fixed.map((f) => `--${f}`).join(', ')}`);
  const checkpoint = await Checkpoint.read(path);
  checkpoint.dispose();
  const config = runConfigOf(checkpoint.extra, path);
  return { ...config, epochs: intFlag(cmd, 'epochs', config.epochs) };
}

/** The CNN's learning rate decays by 0.6 every epoch; the MLP keeps Keras' constant rate. */
function schedule(config: RunConfig, optimizer: Adam): Scheduler | undefined {
  return config.model === 'cnn' ? new ExponentialLR(optimizer, { gamma: 0.6 }) : undefined;
}
