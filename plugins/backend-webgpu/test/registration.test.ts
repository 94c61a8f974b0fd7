import test from 'ava';
import '@fovea/backend-js';
import * as fv from '@fovea/core';
import { registration } from '../src/index.js';

// CI machines have only software adapters; a GPU machine checks the other branch.
test('a software adapter registers webgpu below js, so ready() does not pick it; setBackend still can', async (t) => {
  if (!registration.registered) return t.pass(`webgpu not registered: ${registration.reason}`);
  t.log(`${registration.adapter}: software ${registration.software}`);
  t.true(fv.listBackends().includes('webgpu'));
  const chosen = await fv.ready();
  t.is(chosen.name, registration.software ? 'js' : 'webgpu');
  t.is((await fv.setBackend('webgpu')).name, 'webgpu');
});
