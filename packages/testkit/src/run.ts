import type { TestFn } from 'ava';
import { memory, setBackend } from '@fovea/core';
import type { Check } from './check.js';
import { dtypeChecks } from './groups/dtypes.js';
import { edgeChecks } from './groups/edges.js';
import { errorChecks } from './groups/errors.js';
import { fusedChecks } from './groups/fused.js';
import { goldenChecks } from './groups/golden.js';
import { gradCheckChecks } from './groups/gradcheck.js';
import { memoryChecks } from './groups/memory.js';
import { noteChecks } from './groups/notes.js';
import { randomChecks } from './groups/random.js';
import { DEFAULT_TOLERANCES, GROUPS, type ConformanceOptions, type Group } from './options.js';

const CHECKS: Record<Group, (backend: string) => Check[]> = {
  notes: noteChecks,
  golden: goldenChecks,
  gradcheck: gradCheckChecks,
  fused: fusedChecks,
  edges: edgeChecks,
  dtypes: dtypeChecks,
  errors: errorChecks,
  memory: memoryChecks,
  random: randomChecks,
};

/**
 * Registers the conformance kit as ava tests, one per check, titled `[<backend>] <group>/<check>`.
 * Each test activates `backend` first and must leave no tensor alive; the tests run serially
 * because the active backend, the random generator and the memory counters are process-wide.
 */
export function runConformance(test: TestFn, backend: string, options: ConformanceOptions = {}): void {
  const tolerances = { ...DEFAULT_TOLERANCES, ...options.tolerance };
  const skip = new Map(Object.entries(options.skip ?? {}));
  const selected = new Set(options.only ?? GROUPS);
  const names = new Set<string>();
  for (const group of GROUPS) {
    for (const check of CHECKS[group](backend)) {
      const name = `${group}/${check.name}`;
      names.add(name);
      if (!selected.has(group)) continue;
      const title = `[${backend}] ${name}`;
      const reason = skip.get(name);
      if (reason !== undefined) test.skip(`${title} — skipped: ${reason}`, () => undefined);
      else
        test.serial(title, async (t) => {
          await setBackend(backend);
          const before = memory().numTensors;
          await check.run(t, tolerances);
          // Tensors leaked earlier may be garbage-collected meanwhile, so fewer is fine.
          t.true(memory().numTensors <= before, `${memory().numTensors - before} tensors left alive`);
        });
    }
  }
  const stale = [...skip.keys()].filter((name) => !names.has(name));
  if (stale.length) test.serial(`[${backend}] skip list`, (t) => t.fail(`skip entries that name no check: ${stale.join('; ')}`));
}
