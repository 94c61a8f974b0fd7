import { registerModel } from '@fovea/core';
import { SqueezeNet, type SqueezeNetOptions } from './squeezenet.js';

export { FusedSqueezeNet, SqueezeNet, SqueezeNetBase, type SqueezeNetOptions, type SqueezeNetVersion } from './squeezenet.js';
export { Fire, FusedFire } from './fire.js';

declare module '@fovea/core' {
  interface ModelRegistry {
    squeezenet1_0: { options: SqueezeNetOptions; model: SqueezeNet };
    squeezenet1_1: { options: SqueezeNetOptions; model: SqueezeNet };
  }
}

for (const version of ['1_0', '1_1'] as const) {
  registerModel(`squeezenet${version}`, (options) => new SqueezeNet(version, options as SqueezeNetOptions), { family: 'squeezenet' });
}
