import { conv, type Layer, type Network } from './spec.js';

function fire(name: string, cin: number, squeeze: number, expand: number): Layer {
  return {
    kind: 'fire',
    squeeze: conv(`${name}.squeeze`, cin, squeeze, 1),
    expand1: conv(`${name}.expand1x1`, squeeze, expand, 1),
    expand3: conv(`${name}.expand3x3`, squeeze, expand, 3, 1, 1),
  };
}

/**
 * SqueezeNet 1.1 (Iandola et al.; torchvision's layout), 224×224 input, 1000 classes. Its max
 * pools use ceil mode, which at 224×224 gives the same sizes as floor mode (111→55→27→13), so
 * plain pooling is used everywhere. Dropout is the identity at inference.
 */
export function squeezenet11(batch = 1): Network {
  const pool: Layer = { kind: 'maxpool', k: 3, stride: 2, pad: 0 };
  const layers: Layer[] = [
    conv('features.0', 3, 64, 3, 2, 0),
    pool,
    fire('features.3', 64, 16, 64),
    fire('features.4', 128, 16, 64),
    pool,
    fire('features.6', 128, 32, 128),
    fire('features.7', 256, 32, 128),
    pool,
    fire('features.9', 256, 48, 192),
    fire('features.10', 384, 48, 192),
    fire('features.11', 384, 64, 256),
    fire('features.12', 512, 64, 256),
    conv('classifier.1', 512, 1000, 1),
    { kind: 'gap' },
  ];
  return { name: 'squeezenet1_1', input: [batch, 3, 224, 224], layers };
}
