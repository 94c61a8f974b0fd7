/**
 * @fovea/data — datasets, the DataLoader, splits and transforms. Samples stay on the host as
 * typed arrays (`HostTensor`, CHW for images) through the transforms and become tensors only
 * when a batch is collated. The file-reading datasets below need Node; the rest is universal.ts.
 */
export * from './universal.js';

export { MNIST } from './datasets/mnist.js';
export { CIFAR10, CIFAR100, type CIFAROptions, type CIFAR100Options } from './datasets/cifar.js';
export { ImageFolder, type ImageFolderOptions } from './datasets/image-folder.js';
export { decodeImage, type DecodeLimits } from './datasets/decode-image.js';
