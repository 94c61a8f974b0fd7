import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@fovea/nn';
import { UsageError } from './errors.js';

/** The MNIST models `fovea train mnist --model NAME` builds. */
export const MODELS = {
  /** Two 3×3 conv + ReLU + 2×2 max-pool stages (8 then 16 channels) and a linear classifier: 9,098 parameters. */
  cnn: () =>
    new Sequential(
      new Conv2d(1, 8, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Conv2d(8, 16, 3, { padding: 1 }),
      new ReLU(),
      new MaxPool2d(2),
      new Flatten(),
      new Linear(16 * 7 * 7, 10),
    ),
  /** The notes' Keras example (§8.2): Flatten → Dense(100, ReLU) → Dense(10), 79,510 parameters. */
  mlp: () => new Sequential(new Flatten(), new Linear(28 * 28, 100), new ReLU(), new Linear(100, 10)),
} as const;

export type ModelName = keyof typeof MODELS;

export function modelName(value: unknown): ModelName {
  if (typeof value === 'string' && value in MODELS) return value as ModelName;
  throw new UsageError(`unknown model '${String(value)}'; choose ${Object.keys(MODELS).join(' or ')}`);
}

export function buildModel(name: ModelName): Sequential {
  return MODELS[name]();
}
