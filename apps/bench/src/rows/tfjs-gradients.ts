/**
 * TF.js registers its gradients in `@tensorflow/tfjs-core/dist/register_all_gradients.js`, an
 * ES module with extensionless directory imports that only bundlers resolve (the @tensorflow/tfjs
 * umbrella bundles it). We bundle it with esbuild and import the result; its gradient and engine
 * registries are TF.js globals, so they land in the tfjs-core the rows use.
 */
import { build } from 'esbuild';
import { createRequire } from 'node:module';

export async function registerTfjsGradients(): Promise<void> {
  const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  const out = await build({ entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' });
  await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0]!.text).toString('base64')}`);
}
