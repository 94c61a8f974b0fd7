import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import * as core from '@fovea/core';
import { BatchNorm2d, Conv2d, FusedConv2d, fuseForInference, Identity, type Module } from '@fovea/nn';
import { DenseLayer, FusedDenseBlock, FusedDenseLayer, FusedDenseNet, type DenseNet } from '../src/index.js';
import { fusionTests, type FusionCheck } from '../../../tools/parity/fused.js';

const count = (m: Module, is: (c: Module) => boolean) => m.modules().filter(is).length;

/** The stem and every bottleneck fused with their BN and ReLU; norm1, the transitions' norm and norm5 kept and shared. */
const check: FusionCheck<Module> = (t, fused, original) => {
  const model = original as DenseNet;
  t.true(fused instanceof FusedDenseNet);
  const layers = count(model, (c) => c instanceof DenseLayer);
  const blocks = model.features.namedChildren().filter(([name]) => name.startsWith('denseblock')).length;
  t.is(count(fused, (c) => c instanceof FusedDenseLayer), layers, 'every dense layer fused');
  t.is(count(fused, (c) => c instanceof FusedDenseBlock), blocks, 'every dense block fused');
  t.is(count(fused, (c) => c instanceof FusedConv2d && c.activation === 'relu'), 1 + layers, 'conv0 and each conv1 fused with their BN and ReLU');
  t.is(count(fused, (c) => c.constructor === Conv2d), layers + blocks - 1, 'each conv2 and transition conv left plain');
  // Per layer norm1, per transition norm, and norm5: the batch norms that act on concatenations.
  const kept = model.modules().filter((c) => c instanceof BatchNorm2d).length - 1 - layers;
  const bns = fused.modules().filter((c): c is BatchNorm2d => c instanceof BatchNorm2d);
  t.is(bns.length, kept, 'norm0 and every norm2 folded, the pre-activation batch norms kept');
  const own = new Set(model.modules());
  t.true(bns.every((bn) => own.has(bn)), 'the kept batch norms are shared with the original');
  t.deepEqual(
    fused.namedModules().filter(([, c]) => c instanceof Identity).map(([name]) => name),
    ['features.norm0', 'features.relu0'],
    "the stem's norm0 and relu0 slots emptied",
  );
  t.is((fused as FusedDenseNet).head, model.head, 'the classifier is shared');
};

// 169 and 201 differ from 121 only in block depths; 161 has another growth rate and stem width.
fusionTests(test.serial, { ...core, fuseForInference }, new URL('./fixtures', import.meta.url).pathname, { densenet121: check, densenet161: check });
