import test from 'ava';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
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

test('without an adapter, importing registers nothing and says why in one line', async (t) => {
  // A Vulkan loader pointed at no driver: Dawn offers no adapter (where it has another API, it may).
  const index = new URL('../src/index.ts', import.meta.url).href;
  const code = `const fv = await import('@fovea/core'); const { registration } = await import(${JSON.stringify(index)}); console.log(JSON.stringify({ registration, backends: fv.listBackends() }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--import=tsx', '--conditions=source', '--input-type=module', '-e', code], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    env: { ...process.env, VK_ICD_FILENAMES: '/nonexistent/fovea-no-driver.json' },
  });
  const lines = stdout.trim().split('\n');
  const { registration: found, backends } = JSON.parse(lines.at(-1)!) as { registration: typeof registration; backends: string[] };
  if (found.registered) return t.pass(`an adapter without Vulkan drivers: ${found.adapter}`);
  t.regex(found.reason, /no adapter/);
  t.false(backends.includes('webgpu'));
  t.deepEqual(lines.slice(0, -1).filter((l) => l.includes('[fovea]')), [`[fovea] backend 'webgpu' not registered: ${found.reason}`]);
});
