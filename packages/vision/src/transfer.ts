import { ValueError, type Tensor } from '@fovea/core';
import type { ImageClassifier } from './classifier.js';

/** Stops gradients for every backbone parameter; the head(s) stay trainable. */
export function freezeBackbone(model: ImageClassifier): void {
  for (const p of model.backboneParameters()) p.requiresGrad_(false);
  for (const p of model.headParameters()) p.requiresGrad_(true);
}

/** Makes every parameter trainable again (for fine-tuning after training the new head). */
export function unfreeze(model: ImageClassifier): void {
  model.requiresGrad_(true);
}

export interface TransferOptions {
  /** Freeze the backbone so only the new head trains (default true). */
  freeze?: boolean;
}

/**
 * Transfer learning, step one (§7.3 of the notes): a new, freshly initialised head for
 * `numClasses` classes on a pretrained backbone, which is frozen unless `freeze: false`.
 */
export function transfer(model: ImageClassifier, numClasses: number, options: TransferOptions = {}): ImageClassifier {
  model.replaceHead(numClasses);
  if (options.freeze ?? true) freezeBackbone(model);
  return model;
}

export interface FineTuneOptions {
  /** The head's learning rate. */
  lr: number;
  /** The backbone's learning rate as a fraction of the head's (default 0.1). */
  backboneScale?: number;
}

/**
 * Parameter groups for fine-tuning, for any optimizer taking `[{params, lr}]` (@fovea/optim):
 * the backbone at `backboneScale·lr` (1/10 by default), the head at `lr`. Frozen parameters are
 * left out, so this also serves while the backbone is frozen.
 */
export function fineTuneGroups(model: ImageClassifier, options: FineTuneOptions): { params: Tensor[]; lr: number }[] {
  const scale = options.backboneScale ?? 0.1;
  if (!(options.lr > 0) || !(scale >= 0)) throw new ValueError(`fineTuneGroups: need lr > 0 and backboneScale >= 0, got ${options.lr} and ${scale}`);
  const trainable = (ps: Tensor[]) => ps.filter((p) => p.requiresGrad);
  const groups = [
    { params: trainable(model.backboneParameters()), lr: options.lr * scale },
    { params: trainable(model.headParameters()), lr: options.lr },
  ];
  return groups.filter((g) => g.params.length > 0);
}
