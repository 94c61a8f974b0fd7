import { tensor, type Tensor } from '@fovea/core';
import { DTYPES } from './dtypes.js';
import { parseHeader, readHeaderLength, type Header, type HeaderOptions, type TensorEntry } from './header.js';

export interface Safetensors {
  /** Tensors by name, in file order. */
  tensors: Map<string, Tensor>;
  /** The `__metadata__` strings, on an object without a prototype. */
  metadata: Record<string, string>;
}

export interface DecodeOptions extends HeaderOptions {
  /** Named in error messages (default 'safetensors'). */
  source?: string;
  /** Which tensors to build (default all); the others are validated and skipped, never allocated. */
  select?: (name: string) => boolean;
}

/** Parses and validates the header of a complete file held in memory. */
export function decodeHeader(bytes: Uint8Array, options: DecodeOptions = {}): Header & { dataStart: number } {
  const source = options.source ?? 'safetensors';
  const n = readHeaderLength(bytes, bytes.byteLength, source, options);
  const dataStart = 8 + n;
  return { ...parseHeader(bytes.subarray(8, dataStart), bytes.byteLength - dataStart, source), dataStart };
}

/** A tensor from the bytes of one entry. Views the bytes when aligned, copies them otherwise. */
export function entryTensor(entry: TensorEntry, bytes: Uint8Array): Tensor {
  const info = DTYPES[entry.dtype];
  const aligned = bytes.byteOffset % info.bytes === 0 ? bytes : bytes.slice();
  return tensor(info.decode(aligned, entry.name), entry.shape, { dtype: info.core });
}

/** Decodes a whole safetensors file held in memory. */
export async function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): Promise<Safetensors> {
  const { entries, metadata, dataStart } = decodeHeader(bytes, options);
  const tensors = await buildTensors(entries, options.select, (e, wanted) => (wanted ? bytes.subarray(dataStart + e.begin, dataStart + e.end) : null));
  return { tensors, metadata };
}

/**
 * Builds the selected entries' tensors, in file order, from the bytes `bytesOf` gives (sync or
 * async; it is told whether the entry is wanted, and may return null for the others). On failure
 * disposes the tensors already made, so a bad file leaves nothing behind.
 */
export async function buildTensors(
  entries: readonly TensorEntry[],
  select: ((name: string) => boolean) | undefined,
  bytesOf: (e: TensorEntry, wanted: boolean) => Uint8Array | null | Promise<Uint8Array | null>,
): Promise<Map<string, Tensor>> {
  const out = new Map<string, Tensor>();
  try {
    for (const e of entries) {
      const wanted = select ? select(e.name) : true;
      const bytes = await bytesOf(e, wanted);
      if (wanted && bytes) out.set(e.name, entryTensor(e, bytes));
    }
  } catch (err) {
    for (const t of out.values()) t.dispose();
    throw err;
  }
  return out;
}
