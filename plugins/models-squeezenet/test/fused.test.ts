import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import * as core from '@fovea/core';
import { Conv2d, FusedConv2d, fuseForInference, Identity, ReLU, type Module } from '@fovea/nn';
import { Fire, FusedFire, FusedSqueezeNet } from '../src/index.js';
import { fusionTests, type FusionCheck } from '../../../tools/parity/fused.js';

const count = (m: Module, is: (c: Module) => boolean) => m.modules().filter(is).length;

/** Every conv (stem, fire modules, classifier) fused with the ReLU after it; no separate ReLU left. */
const check: FusionCheck<Module> = (t, fused, model) => {
  t.true(fused instanceof FusedSqueezeNet);
  const convs = count(model, (c) => c instanceof Conv2d);
  t.is(count(fused, (c) => c instanceof FusedConv2d && c.activation === 'relu'), convs, 'every conv fused with its ReLU');
  t.is(count(fused, (c) => c.constructor === Conv2d || c instanceof ReLU), 0, 'no plain conv or ReLU left');
  t.is(count(fused, (c) => c instanceof FusedFire), count(model, (c) => c instanceof Fire), 'every fire module fused');
  t.is(count(fused, (c) => c instanceof Identity), 2, "the stem's and the classifier's ReLU slots emptied");
  t.is((fused as FusedSqueezeNet).head.constructor.name, 'Sequential', 'the classifier keeps its slots');
};

fusionTests(test.serial, { ...core, fuseForInference }, new URL('./fixtures', import.meta.url).pathname, { squeezenet1_0: check, squeezenet1_1: check });
