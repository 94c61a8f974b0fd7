import { Tensor, ValueError, sizeOf } from '@fovea/core';
import { DTYPES, FILE_DTYPE, floatToBFloat16, floatToHalf, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';
import type { ByteSink } from './sink.js';
import { atomicWriteFile } from './atomic-write.js';

/** Bytes already in a safetensors dtype (little-endian), e.g. to write F16 weights as they are. */
export interface RawTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly data: Uint8Array;
}

export type TensorEntries = Map<string, Tensor | RawTensor> | Record<string, Tensor | RawTensor>;
export type Metadata = Map<string, string> | Record<string, string>;

export interface SaveOptions {
  /** The dtype float32 tensors are written as (default F32); F16 and BF16 halve the file, rounding to nearest even. */
  floatDType?: 'F32' | 'F16' | 'BF16';
}

const HALF_ENCODERS = { F16: floatToHalf, BF16: floatToBFloat16 } as const;

const RESERVED_NAMES = new Set(['__metadata__', '__proto__', 'constructor', 'prototype']);

interface Planned {
  name: string;
  value: Tensor | RawTensor;
  dtype: SafetensorsDType;
  shape: readonly number[];
  bytes: number;
}

function plan(name: string, value: Tensor | RawTensor, options: SaveOptions): Planned {
  if (name === '' || RESERVED_NAMES.has(name)) throw new ValueError(`safetensors: '${name}' cannot name a tensor`);
  if (value instanceof Tensor) {
    value.assertLive('saveSafetensors');
    const dtype = value.dtype === 'float32' ? (options.floatDType ?? 'F32') : FILE_DTYPE[value.dtype];
    return { name, value, dtype, shape: value.shape, bytes: value.size * DTYPES[dtype].bytes };
  }
  if (!isSafetensorsDType(value.dtype)) throw new ValueError(`safetensors: tensor '${name}' has unknown dtype ${JSON.stringify(value.dtype)}`);
  const bytes = sizeOf(value.shape) * DTYPES[value.dtype].bytes;
  if (value.data.byteLength !== bytes) {
    throw new ValueError(`safetensors: raw tensor '${name}' (${value.dtype} [${value.shape.join(', ')}]) needs ${bytes} bytes, got ${value.data.byteLength}`);
  }
  return { name, value, dtype: value.dtype, shape: value.shape, bytes };
}

function metadataObject(metadata: Metadata | undefined): Record<string, string> | undefined {
  if (!metadata) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of metadata instanceof Map ? metadata : Object.entries(metadata)) {
    if (RESERVED_NAMES.has(k)) throw new ValueError(`safetensors: '${k}' cannot be a metadata key`);
    if (typeof v !== 'string') throw new ValueError(`safetensors: metadata '${k}' must be a string, got ${typeof v}`);
    out[k] = v;
  }
  return out;
}

/** The 8-byte length and the JSON header, padded with spaces so the data starts 8-byte aligned. */
function headerBytes(planned: readonly Planned[], metadata: Record<string, string> | undefined): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let at = 0;
  for (const p of planned) {
    header[p.name] = { dtype: p.dtype, shape: p.shape, data_offsets: [at, at + p.bytes] };
    at += p.bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  const out = new Uint8Array(8 + padded).fill(0x20, 8);
  new DataView(out.buffer).setBigUint64(0, BigInt(padded), true);
  out.set(json, 8);
  return out;
}

async function bytesOf({ value, dtype }: Planned): Promise<Uint8Array> {
  if (!(value instanceof Tensor)) return value.data;
  const data = await value.data();
  const encode = dtype === 'F16' || dtype === 'BF16' ? HALF_ENCODERS[dtype] : undefined;
  const out = encode ? Uint16Array.from(data, encode) : data;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/**
 * Streams a safetensors file into `sink`: everything is validated first, then the header, then
 * each tensor's bytes in order (one tensor read back from its backend at a time).
 */
export async function writeSafetensors(sink: ByteSink, tensors: TensorEntries, metadata?: Metadata, options: SaveOptions = {}): Promise<void> {
  const floatDType = options.floatDType ?? 'F32';
  if (!['F32', 'F16', 'BF16'].includes(floatDType)) throw new ValueError(`safetensors: floatDType must be F32, F16 or BF16, got ${JSON.stringify(floatDType)}`);
  const entries = tensors instanceof Map ? [...tensors] : Object.entries(tensors);
  const planned = entries.map(([name, value]) => plan(name, value, options));
  await sink.write(headerBytes(planned, metadataObject(metadata)));
  for (const p of planned) await sink.write(await bytesOf(p));
}

/** The whole file in memory. */
export async function encodeSafetensors(tensors: TensorEntries, metadata?: Metadata, options: SaveOptions = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await writeSafetensors({ write: (c) => chunks.push(c.slice()) }, tensors, metadata, options);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** Saves to a path (atomically: a failed save leaves the previous file intact) or into a sink. */
export async function saveSafetensors(target: string | ByteSink, tensors: TensorEntries, metadata?: Metadata, options: SaveOptions = {}): Promise<void> {
  if (typeof target === 'string') await atomicWriteFile(target, (sink) => writeSafetensors(sink, tensors, metadata, options));
  else await writeSafetensors(target, tensors, metadata, options);
}
