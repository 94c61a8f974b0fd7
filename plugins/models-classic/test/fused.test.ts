import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import * as core from '@fovea/core';
import { BatchNorm2d, FusedConv2d, fuseForInference, Identity } from '@fovea/nn';
import { FusedConvNet, type ConvNet } from '../src/index.js';
import { fusionTests } from '../../../tools/parity/fused.js';

fusionTests(test.serial, { ...core, fuseForInference }, new URL('./fixtures', import.meta.url).pathname, {
  vgg11_bn: (t, fused, model) => {
    t.true(fused instanceof FusedConvNet);
    const kinds = (fused as FusedConvNet).features.children();
    t.is(kinds.filter((m) => m instanceof FusedConv2d && m.activation === 'relu').length, 8, 'the 8 convs fused with their BN and ReLU');
    t.is(kinds.filter((m) => m instanceof Identity).length, 16, 'their BN and ReLU slots emptied');
    t.false(kinds.some((m) => m instanceof BatchNorm2d), 'no BN left');
    t.is((fused as FusedConvNet).classifier, (model as ConvNet).classifier, 'the classifier is shared');
  },
});
