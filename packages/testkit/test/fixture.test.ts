import test from 'ava';
import { readFileSync } from 'node:fs';
import { listKernels, memory } from '@fovea/core';
import { runConformance } from '../src/index.js';
import './fixture-backend.js';

/** The op names in the first column of docs/PRIMITIVES.md's primitive table. */
function documentedPrimitives(): string[] {
  const doc = readFileSync(new URL('../../../docs/PRIMITIVES.md', import.meta.url), 'utf8');
  const table = doc.slice(0, doc.indexOf('## Composite ops'));
  const firstCells = table.split('\n').filter((line) => line.startsWith('| `')).map((line) => line.split('|')[1]!);
  return firstCells.flatMap((cell) => [...cell.matchAll(/`(\w+)`/g)].map((m) => m[1]!)).sort();
}

test('[fixture] registers kernels for exactly the primitives of docs/PRIMITIVES.md', (t) => {
  t.deepEqual(listKernels('fixture'), documentedPrimitives());
});

runConformance(test, 'fixture');

// Serial tests run in order, so this one sees the backend after the whole kit.
test.serial('[fixture] the engine hands every buffer it drops back to the backend', (t) => {
  const { numDataBuffers, fixtureBuffers } = memory().backends.fixture!;
  t.is(fixtureBuffers, numDataBuffers);
});
