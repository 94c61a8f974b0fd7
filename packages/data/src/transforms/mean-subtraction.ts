import { ShapeError, type Generator } from '@fovea/core';
import type { HostTensor } from '../host.js';
import { forEachImage, type FitSource } from './fit-source.js';
import { channelMoments, normalizeChannels } from './normalize.js';
import type { Transform } from './transform.js';

/**
 * Subtracts the mean image (one value per pixel and channel) learned from the training set —
 * the notes' `X -= np.mean(X, axis=0)` (§6.2). Fit on the training split only and apply the
 * same transform to validation and test data.
 */
export class MeanImageSubtraction implements Transform {
  constructor(readonly mean: HostTensor) {}

  static async fit(source: FitSource): Promise<MeanImageSubtraction> {
    let sum: Float64Array | undefined;
    const { shape, count } = await forEachImage(source, 'MeanImageSubtraction', (x) => {
      sum ??= new Float64Array(x.data.length);
      for (let i = 0; i < x.data.length; i++) sum[i]! += x.data[i]!;
    });
    return new MeanImageSubtraction({ data: Float32Array.from(sum!, (s) => s / count), shape });
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    const { data: mean, shape } = this.mean;
    if (x.data.length !== mean.length) throw new ShapeError(`MeanImageSubtraction: image of shape [${x.shape.join(', ')}], mean image of [${shape.join(', ')}]`);
    return { data: Float32Array.from(x.data, (v, i) => v - mean[i]!), shape: x.shape };
  }
}

/**
 * Subtracts one mean per channel (over all pixels of all training images), as VGGNet and AlexNet
 * preprocess (§6.2). Fit on the training split only.
 */
export class ChannelMeanSubtraction implements Transform {
  readonly mean: readonly number[];

  constructor(mean: readonly number[]) {
    this.mean = [...mean];
  }

  static async fit(source: FitSource): Promise<ChannelMeanSubtraction> {
    return new ChannelMeanSubtraction((await channelMoments(source, 'ChannelMeanSubtraction')).mean);
  }

  apply(x: HostTensor, _rng?: Generator): HostTensor {
    return normalizeChannels(x, this.mean, this.mean.map(() => 1), 'ChannelMeanSubtraction');
  }
}
