/**
 * Dawn for Node as the global WebGPU (`navigator.gpu`, the GPU* classes and flags), set before
 * any backend is imported: main.ts imports this module first and its top-level await finishes
 * before the rows' modules run, so Fovea, TF.js and ONNX Runtime share one Dawn instance and
 * pick the same adapter. `--dawn=DIR` loads the `webgpu` package from DIR (the bundle run on
 * this machine); by default it resolves from the bundle's folder upwards, where
 * `.gpu/activate.sh` links it on the GPU machine.
 */
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = process.argv.find((a) => a.startsWith('--dawn='))?.slice('--dawn='.length);
const dawn = (await import(dir ? pathToFileURL(join(resolve(dir), 'index.js')).href : 'webgpu')) as typeof import('webgpu');

Object.assign(globalThis, dawn.globals);
// --null-device: Dawn's null backend validates and records every call but runs no shader, so a
// row's time is its CPU side alone (JS, bindings, validation): per-dispatch overhead.
export const nullDevice = process.argv.includes('--null-device');
const gpu = dawn.create(nullDevice ? ['backend=null'] : []);
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });

// ONNX Runtime's WebGPU EP uploads straight from its wasm heap, a SharedArrayBuffer, which Dawn
// for Node rejects ("Invalid argument"); such views are copied to plain memory first.
const writeBuffer = GPUQueue.prototype.writeBuffer;
GPUQueue.prototype.writeBuffer = function (buffer, bufferOffset, data, dataOffset, size) {
  const view = ArrayBuffer.isView(data) ? data : new Uint8Array(data);
  if (!(view.buffer instanceof SharedArrayBuffer)) return writeBuffer.call(this, buffer, bufferOffset, data, dataOffset, size);
  // Offset and size count elements of a typed array, bytes otherwise.
  const unit = 'BYTES_PER_ELEMENT' in view ? (view.BYTES_PER_ELEMENT as number) : 1;
  const start = (dataOffset ?? 0) * unit;
  const length = size === undefined ? view.byteLength - start : size * unit;
  return writeBuffer.call(this, buffer, bufferOffset, new Uint8Array(view.buffer, view.byteOffset + start, length).slice());
};

const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });

/** The adapter every row gets, in words ('none' when Dawn offers none). */
export const adapterName = adapter
  ? [adapter.info.vendor, adapter.info.architecture, adapter.info.device, adapter.info.description].filter(Boolean).join(' ') || 'unnamed adapter'
  : 'none';
