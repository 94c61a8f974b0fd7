import { BackendError } from '@fovea/core';

/** Any failure of the wasm backend itself (as opposed to bad op arguments). */
export class WasmBackendError extends BackendError {}

/** The .wasm file is missing, unreadable or not a valid module, or the runtime lacks SIMD. */
export class WasmLoadError extends WasmBackendError {}

/** The wasm heap could not grow to hold a tensor or a kernel's scratch space. */
export class WasmMemoryError extends WasmBackendError {}

/** The backend was used after `dispose()`. */
export class WasmDisposedError extends WasmBackendError {}
