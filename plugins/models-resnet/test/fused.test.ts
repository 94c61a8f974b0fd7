import test from 'ava';
import '@fovea/backend-js';
import '@fovea/backend-wasm';
import { getKernel, models, noGrad, setBackend, tensor, tidy } from '@fovea/core';
import { BatchNorm2d, Conv2d, FusedConv2d, fuseForInference, type Module } from '@fovea/nn';
import { FusedResidualBlock, FusedResNet, type ResNet } from '../src/index.js';
import { fillStateDict, inputValues, loadFixtures, logitsError } from '../../../tools/parity/harness.js';

const fixtures = loadFixtures(new URL('./fixtures', import.meta.url).pathname);
const count = (m: Module, kind: abstract new (...a: any[]) => Module) => m.modules().filter((c) => c instanceof kind).length;

/** A model with the parity fixture's rule-filled weights (non-trivial BN statistics and affine parameters), in eval mode. */
function filled(arch: string): ResNet {
  const model = models.create(arch as 'resnet18', { initWeights: false });
  noGrad(() => fillStateDict(model.stateDict(), (target, values) => tidy(() => void target.assign(tensor(values, target.shape)))));
  return model.eval();
}

for (const arch of ['resnet18', 'resnet50', 'preact_resnet18']) {
  test.serial(`fuseForInference(${arch}) folds its BNs, feeds shortcuts as residuals and keeps the eval logits (unfused and PyTorch) on js and wasm`, async (t) => {
    t.timeout(300_000);
    const f = fixtures.get(arch)!;
    const model = filled(arch);
    const fused = fuseForInference(model) as FusedResNet;
    try {
      t.true(fused instanceof FusedResNet);
      const blocks = fused.modules().filter((m): m is FusedResidualBlock => m instanceof FusedResidualBlock);
      t.is(blocks.length, model.blocks.length, 'every block fused');
      const preact = arch.startsWith('preact');
      // Post-activation: every conv takes its BN. Pre-activation: each block's first BN and the final one act on sums and stay.
      t.is(count(fused, BatchNorm2d), preact ? blocks.length + 1 : 0, 'BNs left');
      t.is(count(fused, FusedConv2d), count(model, Conv2d) - (preact ? 1 + blocks.filter((b) => b.downsample).length : 0), 'convs fused');
      t.true(blocks.every((b) => b.convs.at(-1)!.activation === (preact ? 'none' : 'relu')));
      t.true(model.modules().every((m) => !(m instanceof FusedConv2d)), 'the original is untouched');

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
      for (const m of fused.modules()) if (m instanceof FusedConv2d) m.dispose();
      model.dispose();
      await setBackend('js');
    }
  });
}
