import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import { getKernel, models, noGrad, setBackend, tensor, tidy } from '@fovea/core';
import { BatchNorm2d, Conv2d, FusedConv2d, fuseForInference, Identity } from '@fovea/nn';
import { FusedConvNet } from '../src/index.js';
import { fillStateDict, inputValues, loadFixtures, logitsError } from '../../../tools/parity/harness.js';

test.serial('fuseForInference(vgg11_bn) fuses every conv → BN → ReLU and keeps the eval logits (unfused and PyTorch) on js and wasm', async (t) => {
  t.timeout(300_000);
  const f = loadFixtures(new URL('./fixtures', import.meta.url).pathname).get('vgg11_bn')!;
  const model = models.create('vgg11_bn', { initWeights: false });
  noGrad(() => fillStateDict(model.stateDict(), (target, values) => tidy(() => void target.assign(tensor(values, target.shape)))));
  model.eval();
  const fused = fuseForInference(model) as FusedConvNet;
  try {
    t.true(fused instanceof FusedConvNet);
    const kinds = fused.features.children();
    t.is(kinds.filter((m) => m instanceof FusedConv2d && m.activation === 'relu').length, 8, 'the 8 convs fused with their BN and ReLU');
    t.is(kinds.filter((m) => m instanceof Identity).length, 16, 'their BN and ReLU slots emptied');
    t.false(kinds.some((m) => m instanceof BatchNorm2d), 'no BN left');
    t.is(fused.classifier, model.classifier, 'the classifier is shared');
    t.true(model.features.children().some((m) => m instanceof BatchNorm2d) && model.features.at(0)!.constructor === Conv2d, 'the original is untouched');
    const input = () => tensor(inputValues(f.input), f.input);
    for (const backend of ['js', 'wasm']) {
      await setBackend(backend);
      const [plain, fast] = noGrad(() => tidy(() => [model, fused].map((m) => m.call(input()).dataSync())));
      const vsPlain = logitsError(fast!, Array.from(plain!));
      const vsTorch = logitsError(fast!, f.logits);
      t.log(`${backend}${getKernel('fusedConv2d', backend) ? ' (fusedConv2d kernel)' : ' (decomposed)'}: fused vs unfused ${vsPlain.relative.toExponential(2)}, vs PyTorch ${vsTorch.relative.toExponential(2)}`);
      t.true(vsPlain.relative <= 1e-5, `${backend}: fused vs unfused relative error ${vsPlain.relative}`);
      t.true(vsTorch.relative <= 1e-4, `${backend}: fused vs PyTorch relative error ${vsTorch.relative}`);
    }
  } finally {
    for (const m of fused.features.children()) if (m instanceof FusedConv2d) m.dispose();
    model.dispose();
    await setBackend('js');
  }
});
