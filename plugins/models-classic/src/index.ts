import { registerModel } from '@fovea/core';
import { ConvNet, type ConvNetOptions } from './convnet.js';
import { LeNet5, type LeNet5Options } from './lenet.js';
import { NiN, type NiNOptions } from './nin.js';
import { ALEXNET, vgg, VGG_DEPTHS, ZFNET } from './zoo.js';

export { ConvNet, ConvNetBase, FusedConvNet, type ConvNetConfig, type ConvNetOptions, type FeatureLayer } from './convnet.js';
export { LeNet5, type LeNet5Options } from './lenet.js';
export { NiN, ninBlock, type NiNOptions } from './nin.js';
export { ALEXNET, ZFNET, vgg } from './zoo.js';
export { minInputSize, type Window } from './windows.js';

type Classic = { options: ConvNetOptions; model: ConvNet };

declare module '@fovea/core' {
  interface ModelRegistry {
    lenet5: { options: LeNet5Options; model: LeNet5 };
    nin: { options: NiNOptions; model: NiN };
    alexnet: Classic;
    zfnet: Classic;
    vgg11: Classic;
    vgg11_bn: Classic;
    vgg13: Classic;
    vgg13_bn: Classic;
    vgg16: Classic;
    vgg16_bn: Classic;
    vgg19: Classic;
    vgg19_bn: Classic;
  }
}

const family = { family: 'classic' };
registerModel('lenet5', (o) => new LeNet5(o as LeNet5Options), family);
registerModel('nin', (o) => new NiN(o as NiNOptions), family);
registerModel('alexnet', (o) => new ConvNet('alexnet', ALEXNET, o as ConvNetOptions), family);
registerModel('zfnet', (o) => new ConvNet('zfnet', ZFNET, o as ConvNetOptions), family);
for (const depth of VGG_DEPTHS) {
  for (const bn of [false, true]) {
    const name = `vgg${depth}${bn ? '_bn' : ''}`;
    registerModel(name, (o) => new ConvNet(name, vgg(depth, bn), o as ConvNetOptions), family);
  }
}
