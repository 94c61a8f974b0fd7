/**
 * `pnpm bench:gpu:prepare`: writes the GPU bench's payload to .bench-results/gpu/ — `bench.mjs`
 * (src/gpu/main.ts bundled with Fovea from its TS sources, TF.js and onnxruntime-web; only the
 * `webgpu` package left out, which `.gpu/` carries) and onnxruntime-web's wasm, compressed. With
 * `.gpu/` (the shared gpu-payload.sh) it is all the GPU machine needs: it has no Node and no
 * node_modules.
 */
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';
import { BUNDLE, ORT_WASM, PAYLOAD_DIR } from './payload.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const dir = join(root, PAYLOAD_DIR);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

await build({
  entryPoints: [join(here, 'main.ts')],
  outfile: join(dir, BUNDLE),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Fovea's packages from their sources (no `pnpm build` needed); TF.js's ES modules, so its
  // packages share one tfjs-core.
  conditions: ['source'],
  mainFields: ['module', 'main'],
  external: ['webgpu'],
  // CommonJS dependencies inside an ES module bundle still call require() for Node's modules.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});

const wasm = readFileSync(createRequire(import.meta.url).resolve(`onnxruntime-web/${ORT_WASM}`));
writeFileSync(join(dir, `${ORT_WASM}.br`), brotliCompressSync(wasm, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: wasm.length } }));

const mb = (file: string) => `${(statSync(join(dir, file)).size / 2 ** 20).toFixed(1)} MiB`;
console.log(`${PAYLOAD_DIR}/: ${BUNDLE} ${mb(BUNDLE)}, ${ORT_WASM}.br ${mb(`${ORT_WASM}.br`)}`);
console.log(`on the GPU machine (carry .gpu and ${PAYLOAD_DIR}): source .gpu/activate.sh && node ${PAYLOAD_DIR}/${BUNDLE} --out=$OUT/gpu.json`);
