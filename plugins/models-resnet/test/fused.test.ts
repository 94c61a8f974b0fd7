import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import * as core from '@fovea/core';
import { BatchNorm2d, Conv2d, FusedConv2d, fuseForInference, type Module } from '@fovea/nn';
import { FusedResidualBlock, FusedResNet, type ResNet } from '../src/index.js';
import { fusionTests, type FusionCheck } from '../../../tools/parity/fused.js';

const count = (m: Module, kind: abstract new (...a: any[]) => Module) => m.modules().filter((c) => c instanceof kind).length;

/** Every block fused; BNs folded into the convs they follow, the last conv of a block taking the shortcut as its residual. */
const check: FusionCheck<Module> = (t, fused, original) => {
  const model = original as ResNet;
  t.true(fused instanceof FusedResNet);
  const blocks = fused.modules().filter((m): m is FusedResidualBlock => m instanceof FusedResidualBlock);
  t.is(blocks.length, model.blocks.length, 'every block fused');
  const preact = model.config.preact ?? false;
  // Post-activation: every conv takes its BN. Pre-activation: each block's first BN and the final one act on sums and stay.
  t.is(count(fused, BatchNorm2d), preact ? blocks.length + 1 : 0, 'BNs left');
  t.is(count(fused, FusedConv2d), count(model, Conv2d) - (preact ? 1 + blocks.filter((b) => b.downsample).length : 0), 'convs fused');
  t.true(blocks.every((b) => b.convs.at(-1)!.activation === (preact ? 'none' : 'relu')));
};

fusionTests(test.serial, { ...core, fuseForInference }, new URL('./fixtures', import.meta.url).pathname, { resnet18: check, resnet50: check, preact_resnet18: check });
