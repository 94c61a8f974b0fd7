/**
 * The part of @fovea/data that runs anywhere (browsers included): datasets in memory, the
 * DataLoader, splits and transforms. Bundlers pick it through the package's `browser` condition.
 */
export { DatasetError } from './errors.js';
export { hostTensor, isHostTensor, toHost, type HostTensor } from './host.js';
export { MappedDataset, Subset, TensorDataset, type Dataset } from './dataset.js';
export { collate, type Batch } from './collate.js';
export { DataLoader, type DataLoaderOptions, type DataLoaderState } from './loader.js';
export { permutation } from './permutation.js';
export { kFold, randomSplit, trainValTestSplit, type Fold, type TrainValTest } from './split.js';

export { Compose, withTransform, type Transform } from './transforms/transform.js';
export { ToFloat } from './transforms/scale.js';
export { Normalize } from './transforms/normalize.js';
export { ChannelMeanSubtraction, MeanImageSubtraction } from './transforms/mean-subtraction.js';
export { PCA, type PCAOptions } from './transforms/pca.js';
export { symmetricEigen } from './transforms/eigen.js';
export { CenterCrop, RandomCrop, centerCrop, crop, pad, type RandomCropOptions } from './transforms/crop.js';
export { RandomHorizontalFlip, hflip } from './transforms/flip.js';
export { RandomResize, Resize, resize, resizeShorterSide, type ResizeOptions } from './transforms/resize.js';
export { RandomResizedCrop, type RandomResizedCropOptions } from './transforms/random-resized-crop.js';
export { ColorJitter, adjustBrightness, adjustContrast, adjustHue, adjustSaturation, type ColorJitterOptions } from './transforms/color-jitter.js';
export { MultiCrop, averageCrops, fiveCrops, type MultiCropOptions } from './transforms/multi-crop.js';
export { convertChannels } from './transforms/channels.js';
export type { FitSource } from './transforms/fit-source.js';
export { LabelledImages, type ImageDatasetOptions } from './datasets/labelled-images.js';
