// Builds the package in the current directory: esbuild bundles each entry in package.json's
// "fovea.entries" (default src/index.ts) to dist/ as ESM, then tsc emits the .d.ts files.
// "fovea.banner" (e.g. a #! line for a command) is put at the top of every output file.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entries = pkg.fovea?.entries ?? ['src/index.ts'];
rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: entries,
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  format: 'esm',
  platform: pkg.fovea?.platform ?? 'neutral',
  target: 'es2022',
  packages: 'external',
  sourcemap: true,
  banner: pkg.fovea?.banner ? { js: pkg.fovea.banner } : undefined,
  logLevel: 'warning',
});
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
