export { ImageClassifier, InputTooSmallError } from './classifier.js';
export { IMAGENET_CLASSES } from './imagenet-classes.js';
export { imagenetTransform, preprocess, IMAGENET_MEAN, IMAGENET_STD, type PreprocessOptions } from './preprocess.js';
export { classify, extractFeatures, type ClassifyOptions, type Prediction } from './classify.js';
export { freezeBackbone, unfreeze, transfer, fineTuneGroups, type TransferOptions, type FineTuneOptions } from './transfer.js';
