import { registerModel } from '@fovea/core';
import { RESNETS, ResNet, type ResNetOptions } from './resnet.js';

export { ResNet, ResNetBase, FusedResNet, RESNETS, type ResNetConfig, type ResNetOptions, type ResNetParts } from './resnet.js';
export { FusedResidualBlock } from './fused-block.js';
export { ResidualBlock, EXPANSION, type BlockKind, type BlockSpec } from './block.js';

type Entry = { options: ResNetOptions; model: ResNet };

declare module '@fovea/core' {
  interface ModelRegistry {
    resnet18: Entry;
    resnet34: Entry;
    resnet50: Entry;
    resnet101: Entry;
    resnet152: Entry;
    preact_resnet18: Entry;
    preact_resnet34: Entry;
    preact_resnet50: Entry;
    preact_resnet101: Entry;
    preact_resnet152: Entry;
    wide_resnet50_2: Entry;
    wide_resnet101_2: Entry;
    resnext50_32x4d: Entry;
    resnext101_32x8d: Entry;
    resnext101_64x4d: Entry;
  }
}

for (const [name, config] of Object.entries(RESNETS)) {
  registerModel(name, (options) => new ResNet(name, config, options as ResNetOptions), { family: 'resnet' });
}
