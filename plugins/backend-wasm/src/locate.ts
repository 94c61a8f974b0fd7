import { isNode } from './features.js';
import { WasmLoadError } from './errors.js';

export type Variant = 'simd' | 'threads';

/** Where to load the modules from: a folder holding both files, or each file's own location. */
export type WasmPath = string | URL | { simd?: string | URL; threads?: string | URL };

let override: WasmPath | undefined;

/**
 * Points the backend at its .wasm files, for hosts that serve them elsewhere than next to the
 * package (a CDN, a public/ folder). A string or URL names the folder holding
 * `fovea-kernels-simd.wasm` and `fovea-kernels-threads.wasm`; an object names files. Takes
 * effect for backends created afterwards.
 */
export function setWasmPath(path: WasmPath | undefined): void {
  override = path;
}

function fileName(variant: Variant): string {
  return `fovea-kernels-${variant}.wasm`;
}

function base(): string | URL {
  return typeof location === 'object' && location !== null ? location.href : `file://${process.cwd()}/`;
}

/** The URL of a module: the override when set, else the file shipped next to this package. */
export function wasmUrl(variant: Variant): URL {
  if (override instanceof URL || typeof override === 'string') {
    const dir = String(override).endsWith('/') ? String(override) : `${String(override)}/`;
    return isAbsolutePath(dir) ? new URL(fileName(variant), `file://${dir}`) : new URL(fileName(variant), new URL(dir, base()));
  }
  const file = override?.[variant];
  if (file !== undefined) return isAbsolutePath(String(file)) ? new URL(`file://${String(file)}`) : new URL(String(file), base());
  // Literal `new URL('…', import.meta.url)` expressions: bundlers (Vite, webpack 5, esbuild with
  // a file loader, Parcel) recognise them and emit the asset. src/ and dist/ both sit one level
  // below the package root, next to wasm/.
  return variant === 'simd'
    ? new URL('../wasm/fovea-kernels-simd.wasm', import.meta.url)
    : new URL('../wasm/fovea-kernels-threads.wasm', import.meta.url);
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') && isNode();
}

async function fetchBytes(url: URL): Promise<ArrayBuffer | Uint8Array<ArrayBuffer>> {
  if (url.protocol === 'file:') {
    // process.getBuiltinModule rather than import(): esbuild, bundling for browsers, fails on
    // an import('node:…') it cannot resolve, even one that never runs there.
    const { readFile } = process.getBuiltinModule('node:fs/promises');
    const { fileURLToPath } = process.getBuiltinModule('node:url');
    return readFile(fileURLToPath(url));
  }
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

/** Reads and compiles one module; every failure becomes a WasmLoadError naming the file. */
export async function compileModule(variant: Variant): Promise<WebAssembly.Module> {
  const url = wasmUrl(variant);
  let bytes: ArrayBuffer | Uint8Array<ArrayBuffer>;
  try {
    bytes = await fetchBytes(url);
  } catch (err) {
    throw new WasmLoadError(
      `cannot read the wasm kernels at ${url.href} (${(err as Error).message}); build them with ` +
        '`node rust-kernels/build.mjs` or point setWasmPath() at the folder that holds them',
    );
  }
  try {
    return await WebAssembly.compile(bytes);
  } catch (err) {
    throw new WasmLoadError(`${url.href} is not a valid WebAssembly module for this runtime (${(err as Error).message})`);
  }
}
