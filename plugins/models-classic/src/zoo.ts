import type { ConvNetConfig, FeatureLayer } from './convnet.js';

const conv = (out: number, k: number, stride = 1, padding = 0): FeatureLayer => ({ conv: [out, k, stride, padding] });
const pool = (k: number, stride: number, padding = 0): FeatureLayer => ({ pool: [k, stride, padding] });

/** torchvision's AlexNet (the single-GPU "one weird trick" variant: 64/192/384/256/256 filters). */
export const ALEXNET: ConvNetConfig = {
  features: [conv(64, 11, 4, 2), pool(3, 2), conv(192, 5, 1, 2), pool(3, 2), conv(384, 3, 1, 1), conv(256, 3, 1, 1), conv(256, 3, 1, 1), pool(3, 2)],
  poolSize: 6,
  dropoutFirst: true,
};

/**
 * ZFNet (Zeiler & Fergus 2013) as the notes give it: AlexNet's layout with a 7×7 stride-2 first
 * conv, a stride-2 second conv and 512/1024/512 filters in layers 3–5 (224 → 110 → 55 → 26 → 13 → 6).
 */
export const ZFNET: ConvNetConfig = {
  features: [conv(96, 7, 2, 1), pool(3, 2, 1), conv(256, 5, 2), pool(3, 2, 1), conv(512, 3, 1, 1), conv(1024, 3, 1, 1), conv(512, 3, 1, 1), pool(3, 2)],
  poolSize: 6,
  dropoutFirst: true,
};

/** VGG (Simonyan & Zisserman 2014) configurations A, B, D, E: 3×3 convs, 2×2 pools ('M'). */
const VGG_LAYOUTS: Record<number, (number | 'M')[]> = {
  11: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  13: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  16: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  19: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};

export function vgg(depth: number, batchNorm: boolean): ConvNetConfig {
  return {
    features: VGG_LAYOUTS[depth]!.map((v) => (v === 'M' ? pool(2, 2) : conv(v, 3, 1, 1))),
    poolSize: 7,
    batchNorm,
    vggInit: true,
  };
}

export const VGG_DEPTHS = [11, 13, 16, 19] as const;
