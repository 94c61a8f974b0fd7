// Shared by the model packages' fusion tests: `fuseForInference` on a model holding the parity
// fixture's rule-filled weights (batch norms with non-trivial statistics and affine parameters)
// must keep its eval logits, against the unfused model's and PyTorch's, leave the model it came
// from as it was, and refuse a model in training mode. Dependency-free like harness.ts: the
// calling package passes core's functions and nn's `fuseForInference`.
import { fillStateDict, inputValues, loadFixtures, logitsError, type ParityCore } from './harness.js';

interface FusionTensor {
  shape: readonly number[];
  dataSync(): ArrayLike<number>;
  dispose(): void;
}

/** What the test needs of a model (a @fovea/nn Module). */
export interface FusionModel<T> {
  namedModules(): [string, object][];
  stateDict(): Map<string, T & { assign(v: T): unknown }>;
  call(x: T): T;
  train(): unknown;
  eval(): unknown;
  dispose(): void;
}

export interface FusionCore<T extends { shape: readonly number[] }, M> extends Pick<ParityCore<T>, 'models' | 'tensor' | 'noGrad' | 'tidy' | 'setBackend'> {
  getKernel(op: string, backend: string): unknown;
  fuseForInference(model: M): M;
}

interface TestContext {
  timeout(ms: number): void;
  log(...values: unknown[]): void;
  is(a: unknown, b: unknown, message?: string): void;
  true(v: boolean, message?: string): void;
  false(v: boolean, message?: string): void;
  deepEqual(a: unknown, b: unknown, message?: string): void;
  throws(fn: () => unknown, expectations: { message: RegExp }): unknown;
}
type Test = (title: string, fn: (t: TestContext) => Promise<void>) => void;

/** Checks the fused model's structure: its FusedConv2d where expected, what is shared with the original. */
export type FusionCheck<M> = (t: TestContext, fused: M, model: M) => void;

export interface FusionTestOptions {
  /** Backends to compare on, the first also building the models (default js and wasm). */
  backends?: readonly string[];
  /** Largest relative error of the fused logits against the unfused ones (default 1e-5). */
  tolerance?: number;
  /** Against PyTorch's (default 1e-4, the parity tests'). */
  torchTolerance?: number;
}

/** Module paths and classes: what fusion must not change in the original. */
const structure = (m: FusionModel<unknown>) => m.namedModules().map(([name, c]) => `${name}: ${c.constructor.name}`);

/**
 * Registers one test per architecture in `checks` (each needs a fixture in `dir`): the model in
 * training mode is refused; in eval mode it is fused, `checks[arch]` checks the result, the
 * original keeps its modules, tensors and logits, and the fused logits match the unfused and
 * PyTorch's on every backend of `options.backends`.
 */
export function fusionTests<T extends FusionTensor, M extends FusionModel<T>>(test: Test, core: FusionCore<T, M>, dir: string, checks: Record<string, FusionCheck<M>>, options: FusionTestOptions = {}): void {
  const { backends = ['js', 'wasm'], tolerance = 1e-5, torchTolerance = 1e-4 } = options;
  const fixtures = loadFixtures(dir);
  for (const [arch, check] of Object.entries(checks)) {
    test(`fuseForInference(${arch}) fuses its convolutions and keeps the eval logits (unfused and PyTorch) on ${backends.join(' and ')}; the original is untouched; training mode is refused`, async (t) => {
      t.timeout(300_000);
      const f = fixtures.get(arch);
      if (!f) throw new Error(`no parity fixture for ${arch} in ${dir}`);
      await core.setBackend(backends[0]!);
      const model = core.models.create(arch, { initWeights: false }) as M;
      core.noGrad(() => fillStateDict(model.stateDict(), (target, values) => core.tidy(() => void target.assign(core.tensor(values, target.shape)))));
      model.train();
      t.throws(() => core.fuseForInference(model), { message: /training mode/ });
      model.eval();
      const logits = (m: M) => Float32Array.from(core.noGrad(() => core.tidy(() => m.call(core.tensor(inputValues(f.input), f.input)).dataSync())));
      const before = { modules: structure(model), tensors: [...model.stateDict()], logits: logits(model) };
      const fused = core.fuseForInference(model);
      const own = new Set(model.stateDict().values());
      try {
        check(t, fused, model);
        t.deepEqual(structure(model), before.modules, 'the original keeps its modules');
        t.true([...model.stateDict()].every(([key, v], i) => before.tensors[i]![0] === key && before.tensors[i]![1] === v), 'and its tensors');
        t.deepEqual(logits(model), before.logits, 'and computes what it did');
        for (const backend of backends) {
          await core.setBackend(backend);
          const [plain, fast] = [model, fused].map(logits);
          const vsPlain = logitsError(fast!, Array.from(plain!));
          const vsTorch = logitsError(fast!, f.logits);
          t.log(`${backend}${core.getKernel('fusedConv2d', backend) ? ' (fusedConv2d kernel)' : ' (decomposed)'}: fused vs unfused ${vsPlain.relative.toExponential(2)}, vs PyTorch ${vsTorch.relative.toExponential(2)}`);
          t.true(vsPlain.relative <= tolerance, `${backend}: fused vs unfused relative error ${vsPlain.relative}`);
          t.true(vsTorch.relative <= torchTolerance, `${backend}: fused vs PyTorch relative error ${vsTorch.relative}`);
        }
      } finally {
        // The fused model's own tensors; what it shares with the original goes with the original.
        for (const v of new Set(fused.stateDict().values())) if (!own.has(v)) v.dispose();
        model.dispose();
        await core.setBackend(backends[0]!);
      }
    });
  }
}
