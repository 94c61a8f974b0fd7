import test from 'ava';
import { memory } from '@fovea/core';
import { runConformance } from '../src/index.js';
import './fixture-backend.js';

runConformance(test, 'fixture');

// Serial tests run in order, so this one sees the backend after the whole kit.
test.serial('[fixture] the engine hands every buffer it drops back to the backend', (t) => {
  const { numDataBuffers, fixtureBuffers } = memory().backends.fixture!;
  t.is(fixtureBuffers, numDataBuffers);
});
