import { Flatten, FusedConv2d, Identity, Linear, MaxPool2d, ReLU, Sequential } from '@fovea/nn';
import { UsageError } from './errors.js';

function convRelu(inChannels: number, outChannels: number): FusedConv2d {
  return new FusedConv2d(inChannels, outChannels, 3, { padding: 1, activation: 'relu' });
}

/** The MNIST models `fovea train mnist --model NAME` builds. */
export const MODELS = {
  /**
   * Two 3×3 conv + ReLU + 2×2 max-pool stages (8 then 16 channels) and a linear classifier: 9,098
   * parameters. Each conv runs with its bias and ReLU as one fused op (no separate passes over the
   * activations); the Identity keeps the ReLU's slot, so parameter names are those of
   * Conv2d → ReLU (`0.weight`, `3.weight`, `7.weight`) and older checkpoints still load.
   */
  cnn: () =>
    new Sequential(
      convRelu(1, 8),
      new Identity(),
      new MaxPool2d(2),
      convRelu(8, 16),
      new Identity(),
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
