import { CheckpointError } from '@fovea/train';
import { MODELS, type ModelName } from './models.js';

/** How a model was trained; saved in every checkpoint so eval/predict can rebuild it. */
export interface RunConfig {
  task: 'mnist';
  model: ModelName;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Samples used, when fewer than all 10,000. */
  limit?: number;
  /** Inputs standardised with MNIST's mean and std (else only scaled to [0, 1]). */
  normalize: boolean;
}

/** Each model's recipe: the notes' Keras settings for the MLP, a faster-converging one for the CNN. */
export const RECIPES: Record<ModelName, Omit<RunConfig, 'task' | 'model'>> = {
  cnn: { epochs: 5, batchSize: 32, lr: 3e-3, seed: 0, normalize: true },
  mlp: { epochs: 5, batchSize: 32, lr: 1e-3, seed: 42, normalize: false },
};

/** The run configuration a checkpoint carries, or a CheckpointError saying it has none. */
export function runConfigOf(extra: unknown, path: string): RunConfig {
  const c = extra as Partial<RunConfig> | null;
  const ok =
    c !== null && typeof c === 'object' && c.task === 'mnist' && typeof c.model === 'string' && c.model in MODELS &&
    [c.epochs, c.batchSize, c.lr, c.seed].every((v) => typeof v === 'number') && typeof c.normalize === 'boolean';
  if (!ok) throw new CheckpointError(`${path}: not an MNIST checkpoint written by 'fovea train' (its run configuration is missing or unknown)`);
  return c as RunConfig;
}
