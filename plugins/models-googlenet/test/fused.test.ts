import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import * as core from '@fovea/core';
import { BatchNorm2d, Conv2d, FusedConv2d, fuseForInference, type Module } from '@fovea/nn';
import { BasicConv2d, FusedGoogLeNet, InceptionAux, type GoogLeNet } from '../src/index.js';
import { fusionTests } from '../../../tools/parity/fused.js';

const count = (m: Module, is: (c: Module) => boolean) => m.modules().filter(is).length;

fusionTests(test.serial, { ...core, fuseForInference }, new URL('./fixtures', import.meta.url).pathname, {
  googlenet: (t, fused, original) => {
    const model = original as GoogLeNet;
    t.true(fused instanceof FusedGoogLeNet);
    // The auxiliary classifiers run only in training, so the fused net leaves them (and their BasicConv2d) out.
    const trunkConvs = count(model, (c) => c instanceof BasicConv2d) - count(model, (c) => c instanceof InceptionAux);
    t.is(count(fused, (c) => c instanceof FusedConv2d && c.activation === 'relu'), trunkConvs, 'every conv → BN → ReLU of the stem and the inception branches fused');
    t.is(count(fused, (c) => c instanceof BatchNorm2d || c instanceof BasicConv2d || c.constructor === Conv2d || c instanceof InceptionAux), 0, 'no BN, unfused conv or auxiliary head left');
    t.is((fused as FusedGoogLeNet).head, model.head, 'fc is shared');
  },
});
