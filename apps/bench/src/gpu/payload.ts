/** What `pnpm bench:gpu:prepare` writes for the GPU machine, relative to the repository root. */
export const PAYLOAD_DIR = '.bench-results/gpu';

/** The GPU bench, bundled into one file. */
export const BUNDLE = 'bench.mjs';

/** The wasm build onnxruntime-web's WebGPU entry loads, carried brotli-compressed (27 MB → about 4 MB). */
export const ORT_WASM = 'ort-wasm-simd-threaded.asyncify.wasm';
