import test from 'ava';
import { models } from '@fovea/core';
import '../src/index.js';
import { loadFixtures } from '../../../tools/parity/harness.js';

// The parameter counts torchvision documents; the parity tests check each model against its fixture.
const EXPECTED: [string, number][] = [
  ['squeezenet1_0', 1_248_424],
  ['squeezenet1_1', 1_235_496],
];

test('the PyTorch fixtures carry torchvision\'s documented parameter counts', (t) => {
  const fixtures = loadFixtures(new URL('./fixtures', import.meta.url).pathname);
  for (const [arch, count] of EXPECTED) t.is(fixtures.get(arch)?.paramCount, count, arch);
});

test('every registered architecture has a PyTorch parity fixture', (t) => {
  const fixtures = loadFixtures(new URL('./fixtures', import.meta.url).pathname);
  t.deepEqual(models.list('squeezenet'), [...fixtures.keys()].sort());
});
