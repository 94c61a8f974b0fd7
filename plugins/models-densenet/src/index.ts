import { registerModel } from '@fovea/core';
import { DENSENETS, DenseNet, type DenseNetOptions } from './densenet.js';

export { DenseNet, DenseNetBase, DENSENETS, FusedDenseNet, type DenseNetConfig, type DenseNetOptions } from './densenet.js';
export { DenseBlock, DenseBlockBase, DenseLayer, DenseLayerBase, FusedDenseBlock, FusedDenseLayer, transition } from './dense-block.js';

type Entry = { options: DenseNetOptions; model: DenseNet };

declare module '@fovea/core' {
  interface ModelRegistry {
    densenet121: Entry;
    densenet161: Entry;
    densenet169: Entry;
    densenet201: Entry;
  }
}

for (const [name, config] of Object.entries(DENSENETS)) {
  registerModel(name, (options) => new DenseNet(name, config, options as DenseNetOptions), { family: 'densenet' });
}
