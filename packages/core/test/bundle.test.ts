import test from 'ava';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

// Bundlers honour package.json "sideEffects": the modules that attach Tensor methods and
// register ops must survive tree shaking, or a bundled core has no ops.
test('a bundle of core keeps the modules that register ops and methods', async (t) => {
  const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));
  const result = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', logLevel: 'silent', metafile: true });
  const inputs = Object.keys(result.metafile.inputs);
  t.deepEqual(result.warnings.map((w) => w.text), []);
  for (const file of ['src/methods.ts', 'src/ops/conv.ts', 'src/ops/elementwise.ts']) {
    t.true(inputs.some((p) => p.endsWith(file)), `${file} is in the bundle`);
  }
});
