import { registerModel } from '@fovea/core';
import { GoogLeNet, type GoogLeNetOptions } from './googlenet.js';

export { FusedGoogLeNet, GoogLeNet, GoogLeNetBase, type GoogLeNetOptions, type GoogLeNetOutputs, type GoogLeNetParts } from './googlenet.js';
export { BasicConv2d, Branches, Inception, InceptionAux, type InceptionSpec } from './inception.js';

declare module '@fovea/core' {
  interface ModelRegistry {
    googlenet: { options: GoogLeNetOptions; model: GoogLeNet };
  }
}

registerModel('googlenet', (options) => new GoogLeNet(options as GoogLeNetOptions), { family: 'googlenet' });
