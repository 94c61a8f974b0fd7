// Shared by the model packages' parity tests: reading the fixtures gen_fixtures.py wrote and
// comparing logits. Dependency-free (Node built-ins only) so any package's tests can import it
// by relative path; the tensor-making glue lives in each package's test helper.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inputValues, ruleValues } from './fill.js';

export interface Fixture {
  arch: string;
  source: string;
  input: [number, number, number, number];
  minInputSize: number;
  paramCount: number;
  stateDict: [string, number[]][];
  logits: number[];
  logitsShape: number[];
}

/** Every fixture in a package's test/fixtures folder, by architecture name. */
export function loadFixtures(dir: string): Map<string, Fixture> {
  const out = new Map<string, Fixture>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('-'))) {
    const f = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture;
    out.set(f.arch, f);
  }
  return out;
}

/** Writes the rule's values into every entry of a state dict the rule covers. */
export function fillStateDict<T extends { shape: readonly number[] }>(stateDict: Map<string, T>, write: (target: T, values: Float32Array) => void): void {
  for (const [key, t] of stateDict) {
    const values = ruleValues(key, t.shape);
    if (values) write(t, values);
  }
}

export { inputValues };

export interface LogitsError {
  /** Largest |actual − expected|. */
  maxAbs: number;
  /** Largest |expected|: the scale errors are measured against. */
  scale: number;
  /** maxAbs / scale. */
  relative: number;
}

/** The error of `actual` against the fixture's logits, relative to the logits' largest magnitude. */
export function logitsError(actual: ArrayLike<number>, expected: readonly number[]): LogitsError {
  if (actual.length !== expected.length) throw new Error(`logits length ${actual.length}, expected ${expected.length}`);
  let maxAbs = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    maxAbs = Math.max(maxAbs, Number.isFinite(a) ? Math.abs(a - expected[i]!) : Infinity);
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return { maxAbs, scale, relative: maxAbs / scale };
}

/** What the parity tests need from @fovea/core, passed in by the calling package. */
export interface ParityCore<T extends { shape: readonly number[] }> {
  models: { create(name: string, options?: Record<string, unknown>): unknown };
  tensor(values: Float32Array, shape: readonly number[]): T;
  noGrad<R>(fn: () => R): R;
  tidy<R>(fn: () => R): R;
  listBackends(): string[];
  setBackend(name: string): Promise<unknown>;
}

interface ParityModel<T> {
  minInputSize: number;
  stateDict(): Map<string, T & { assign(v: T): unknown }>;
  parameters(): { size: number }[];
  eval(): unknown;
  call(x: T): T & { data(): Promise<ArrayLike<number>>; dispose(): void; shape: readonly number[] };
  dispose(): void;
}

type Test = {
  (title: string, fn: (t: TestContext) => Promise<void> | void): void;
};
interface TestContext {
  timeout(ms: number): void;
  log(...values: unknown[]): void;
  deepEqual(a: unknown, b: unknown, message?: string): void;
  is(a: unknown, b: unknown, message?: string): void;
  true(v: boolean, message?: string): void;
}

function checkStructure<T extends { shape: readonly number[] }>(t: TestContext, model: ParityModel<T>, f: Fixture): void {
  t.deepEqual([...model.stateDict()].map(([k, v]) => [k, [...v.shape]]), f.stateDict, 'state_dict names and shapes');
  t.is(model.parameters().reduce((n, p) => n + p.size, 0), f.paramCount, 'parameter count');
  t.is(model.minInputSize, f.minInputSize, 'minimum input size');
}

async function withModel<T extends { shape: readonly number[] }>(core: ParityCore<T>, arch: string, use: (model: ParityModel<T>) => unknown): Promise<void> {
  const model = core.models.create(arch, { initWeights: false }) as ParityModel<T>;
  try {
    await use(model);
  } finally {
    model.dispose();
  }
}

/**
 * Registers one test per fixture: the model's state_dict names and shapes, parameter count and
 * minimum input size equal PyTorch's, and its eval logits on the rule-filled weights match within
 * `tolerance` (relative to the largest logit) on every backend that initialises in this process.
 * `select` picks a subset, so a package can spread its big models over test files (ava runs
 * files in parallel processes).
 */
export function parityTests<T extends { shape: readonly number[] }>(test: Test, core: ParityCore<T>, dir: string, select: (arch: string) => boolean = () => true, tolerance = 1e-4): void {
  for (const [arch, f] of loadFixtures(dir)) {
    if (!select(arch)) continue;
    test(`${arch} matches ${f.source}: state_dict, parameter count, minimum size, eval logits`, async (t) => {
      t.timeout(300_000);
      let ran = 0;
      for (const backend of core.listBackends()) {
        try {
          await core.setBackend(backend);
        } catch (e) {
          t.log(`${backend}: not available here (${(e as Error).message})`);
          continue;
        }
        // A model per backend, its weights written there: moving tensors off a queued backend
        // (WebGPU) would need a synchronous read.
        await withModel(core, arch, async (model) => {
          if (ran++ === 0) checkStructure(t, model, f);
          const started = Date.now();
          core.noGrad(() => fillStateDict(model.stateDict(), (target, values) => core.tidy(() => void target.assign(core.tensor(values, target.shape)))));
          model.eval();
          const out = core.noGrad(() => core.tidy(() => model.call(core.tensor(inputValues(f.input), f.input))));
          const logits = await out.data();
          out.dispose();
          const err = logitsError(logits, f.logits);
          t.log(`${backend}: relative error ${err.relative.toExponential(2)} (max |Δ| ${err.maxAbs.toExponential(2)} of ${err.scale.toExponential(2)}), ${Date.now() - started} ms`);
          t.true(err.relative <= tolerance, `${arch} on ${backend}: relative error ${err.relative} > ${tolerance}`);
        }).catch((e: Error) => {
          // A device whose limits cannot hold one of the model's tensors (VGG's fc6 on a software
          // adapter with 128 MiB bindings) is reported, not a parity failure; anything else is.
          if (e.name !== 'BufferTooLargeError') throw e;
          t.log(`${backend}: model does not fit this device (${e.message})`);
        });
      }
      t.true(ran > 0, `${arch} ran on no backend`);
    });
  }
}
