import { isHostTensor, type HostTensor } from '@fovea/data';
import { noGrad, softmax, tidy, Tensor, ValueError } from '@fovea/core';
import type { ImageClassifier } from './classifier.js';
import { IMAGENET_CLASSES } from './imagenet-classes.js';
import { preprocess, type PreprocessOptions } from './preprocess.js';

export interface Prediction {
  index: number;
  label: string;
  probability: number;
}

export interface ClassifyOptions extends PreprocessOptions {
  /** Predictions per image, most probable first (default 5, or every class when fewer). */
  topk?: number;
  /** Class names by index (default: ImageNet's 1000 when the model has 1000 classes, else "class i"). */
  labels?: readonly string[];
}

function labelsFor(model: ImageClassifier, labels?: readonly string[]): readonly string[] {
  if (labels) {
    if (labels.length !== model.numClasses) throw new ValueError(`classify: ${labels.length} labels for a model with ${model.numClasses} classes`);
    return labels;
  }
  return model.numClasses === IMAGENET_CLASSES.length ? IMAGENET_CLASSES : Array.from({ length: model.numClasses }, (_, i) => `class ${i}`);
}

/**
 * The top-k classes of each image, in eval mode without gradients. Images are CHW host images
 * (preprocessed with the ImageNet transform, see `preprocess`) or an already-preprocessed NCHW
 * tensor. Returns one list per image.
 */
export function classify(model: ImageClassifier, images: Tensor | HostTensor | readonly HostTensor[], options: ClassifyOptions = {}): Prediction[][] {
  const topk = options.topk ?? Math.min(5, model.numClasses);
  const names = labelsFor(model, options.labels);
  if (!Number.isInteger(topk) || topk < 1 || topk > model.numClasses) throw new ValueError(`classify: topk must be in 1..${model.numClasses}, got ${topk}`);
  const wasTraining = model.training;
  model.eval();
  try {
    const probs = noGrad(() =>
      tidy(() => {
        const x = images instanceof Tensor ? images : preprocess(isHostTensor(images) ? images : (images as readonly HostTensor[]), options);
        return softmax(model.call(x), 1).dataSync();
      }),
    );
    const n = probs.length / model.numClasses;
    return Array.from({ length: n }, (_, b) => {
      const row = probs.subarray(b * model.numClasses, (b + 1) * model.numClasses);
      const order = Array.from(row.keys()).sort((i, j) => row[j]! - row[i]! || i - j);
      return order.slice(0, topk).map((index) => ({ index, label: names[index]!, probability: row[index]! }));
    });
  } finally {
    model.train(wasTraining);
  }
}

/** Backbone features (what the head reads) of preprocessed images, in eval mode without gradients. */
export function extractFeatures(model: ImageClassifier, images: Tensor | HostTensor | readonly HostTensor[], options: PreprocessOptions = {}): Tensor {
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => tidy(() => model.forwardFeatures(images instanceof Tensor ? images : preprocess(isHostTensor(images) ? images : (images as readonly HostTensor[]), options))));
  } finally {
    model.train(wasTraining);
  }
}
