import { Tensor } from '@fovea/core';
import { CheckpointError } from './errors.js';

/** JSON values, as they go into a checkpoint's metadata. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Packs a state object (what `stateDict()` returns: tensors, Maps, arrays, plain objects,
 * numbers including NaN and ±Infinity, strings, booleans, null) into JSON, moving every tensor
 * into `tensors` under its dotted path. Tensors become `{"$tensor": name}`, Maps
 * `{"$map": [[key, value], …]}`, non-finite numbers `{"$num": "NaN"}`.
 */
export function packState(value: unknown, path: string, tensors: Map<string, Tensor>): Json {
  if (value instanceof Tensor) {
    value.assertLive(`checkpoint '${path}'`);
    tensors.set(path, value);
    return { $tensor: path };
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : { $num: String(value) };
  if (value instanceof Map) {
    return { $map: [...value].map(([k, v]) => [packKey(k, path), packState(v, join(path, String(k)), tensors)]) };
  }
  if (Array.isArray(value)) return value.map((v, i) => packState(v, join(path, String(i)), tensors));
  if (isPlainObject(value)) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = packState(v, join(path, k), tensors);
    return out;
  }
  throw new CheckpointError(`cannot save '${path}' in a checkpoint: unsupported value ${describe(value)}`);
}

/** Rebuilds what `packState` packed, taking tensors from `tensors` by name. */
export function unpackState(json: unknown, tensors: ReadonlyMap<string, Tensor>): unknown {
  if (json === null || typeof json !== 'object') return json;
  if (Array.isArray(json)) return json.map((v) => unpackState(v, tensors));
  const obj = json as Record<string, unknown>;
  if ('$tensor' in obj) return tensorRef(obj.$tensor, tensors);
  if ('$num' in obj) return Number(obj.$num);
  if ('$map' in obj) return mapOf(obj.$map, tensors);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = unpackState(v, tensors);
  return out;
}

function tensorRef(name: unknown, tensors: ReadonlyMap<string, Tensor>): Tensor {
  const t = typeof name === 'string' ? tensors.get(name) : undefined;
  if (!t) throw new CheckpointError(`the checkpoint's state refers to tensor ${JSON.stringify(name)}, which the file does not hold`);
  return t;
}

function mapOf(entries: unknown, tensors: ReadonlyMap<string, Tensor>): Map<unknown, unknown> {
  const ok = Array.isArray(entries) && entries.every((e) => Array.isArray(e) && e.length === 2);
  if (!ok) throw new CheckpointError('the checkpoint\'s state has a malformed map entry');
  return new Map((entries as [unknown, unknown][]).map(([k, v]) => [k, unpackState(v, tensors)]));
}

function packKey(key: unknown, path: string): string | number {
  if (typeof key === 'string' || typeof key === 'number') return key;
  throw new CheckpointError(`cannot save '${path}' in a checkpoint: map key ${describe(key)} is not a string or number`);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return `(an instance of ${value.constructor?.name ?? 'an unknown class'})`;
  return `(${typeof value})`;
}
