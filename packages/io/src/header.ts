import { SafetensorsError } from './errors.js';
import { DTYPES, isSafetensorsDType, type SafetensorsDType } from './dtypes.js';

/** One tensor's entry in a validated header; offsets are relative to the start of the data. */
export interface TensorEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface Header {
  /** Entries sorted by offset; they tile the data exactly. */
  readonly entries: readonly TensorEntry[];
  /** `__metadata__`, string to string, on an object without a prototype. */
  readonly metadata: Record<string, string>;
  /** Bytes of tensor data after the header. */
  readonly dataBytes: number;
}

export interface HeaderOptions {
  /** Largest JSON header accepted, in bytes (default 100 MB). */
  maxHeaderBytes?: number;
}

export const DEFAULT_MAX_HEADER_BYTES = 100_000_000;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** More dimensions than any real tensor has (PyTorch's own limit is 64). */
const MAX_RANK = 64;

function fail(source: string, what: string): never {
  throw new SafetensorsError(`${source}: ${what}`);
}

/**
 * Reads the 8-byte little-endian header length and checks it against the limit and, when the
 * total size is known, against the file — before the header itself is read or allocated.
 */
export function readHeaderLength(prefix: Uint8Array, totalBytes: number | undefined, source: string, options: HeaderOptions = {}): number {
  if (prefix.byteLength < 8) fail(source, `${prefix.byteLength} bytes is too short for the 8-byte header length`);
  const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
  const limit = options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES;
  if (n > BigInt(limit)) fail(source, `header claims ${n} bytes, over the ${limit}-byte limit (maxHeaderBytes)`);
  if (totalBytes !== undefined && 8n + n > BigInt(totalBytes)) {
    fail(source, `header claims ${n} bytes but the file has only ${totalBytes - 8} after the length`);
  }
  return Number(n);
}

/** Parses and validates the JSON header; `dataBytes` is the size of what follows it (if known). */
export function parseHeader(json: Uint8Array, dataBytes: number | undefined, source: string): Header {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    fail(source, 'header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail(source, 'header does not start with "{"');
  let raw: unknown;
  try {
    raw = JSON.parse(text, (key, value) => {
      if (FORBIDDEN_KEYS.has(key)) fail(source, `header contains the forbidden key '${key}'`);
      return value;
    });
  } catch (e) {
    if (e instanceof SafetensorsError) throw e;
    fail(source, `header is not valid JSON (${(e as Error).message})`);
  }
  if (!isRecord(raw)) fail(source, 'header is not a JSON object');
  let metadata: Record<string, string> = Object.create(null);
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (name === '__metadata__') metadata = parseMetadata(value, source);
    else entries.push(parseEntry(name, value, source));
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  return { entries, metadata, dataBytes: checkTiling(entries, dataBytes, source) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function parseMetadata(value: unknown, source: string): Record<string, string> {
  if (!isRecord(value)) fail(source, '__metadata__ is not an object');
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail(source, `__metadata__ value for '${k}' is not a string`);
    out[k] = v;
  }
  return out;
}

function parseEntry(name: string, value: unknown, source: string): TensorEntry {
  const where = `${source}: tensor '${name}'`;
  if (!isRecord(value)) fail(where, 'entry is not an object');
  const keys = Object.keys(value).sort().join(',');
  if (keys !== 'data_offsets,dtype,shape') fail(where, `entry has keys [${keys}], expected dtype, shape, data_offsets`);
  const { dtype, shape, data_offsets: offsets } = value;
  if (!isSafetensorsDType(dtype)) fail(where, `unknown dtype ${JSON.stringify(dtype)}; known: ${Object.keys(DTYPES).join(', ')}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(where, `shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (shape.length > MAX_RANK) fail(where, `shape has ${shape.length} dimensions, more than ${MAX_RANK}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail(where, `data_offsets ${JSON.stringify(offsets)} is not [begin, end] in bytes`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(where, `data_offsets [${begin}, ${end}] end before they begin`);
  const bytes = shape.reduce((acc: number, d: number) => acc * d, DTYPES[dtype].bytes);
  if (bytes !== end - begin) {
    fail(where, `${dtype} shape [${shape.join(', ')}] needs ${bytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype, shape, begin, end };
}

function isCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

/** Entries must cover [0, dataBytes) exactly: no overlap, no gap, nothing past the end. */
function checkTiling(entries: readonly TensorEntry[], dataBytes: number | undefined, source: string): number {
  let at = 0;
  for (const e of entries) {
    if (dataBytes !== undefined && e.end > dataBytes) {
      fail(source, `tensor '${e.name}' data_offsets [${e.begin}, ${e.end}] run past the end of the ${dataBytes} data bytes`);
    }
    if (e.begin < at) fail(source, `tensor '${e.name}' data_offsets [${e.begin}, ${e.end}] overlap the previous tensor, which ends at ${at}`);
    if (e.begin > at) fail(source, `gap of ${e.begin - at} unused bytes before tensor '${e.name}'`);
    at = e.end;
  }
  if (dataBytes !== undefined && at !== dataBytes) fail(source, `${dataBytes - at} bytes after the last tensor are not described by the header`);
  return at;
}
