import type { DType, TypedArray } from '@fovea/core';
import { SafetensorsError } from './errors.js';

/** The safetensors dtype names Fovea reads. */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

interface DTypeInfo {
  /** Bytes per element in the file. */
  readonly bytes: number;
  /** The core dtype the values load as. */
  readonly core: DType;
  /** Converts little-endian element bytes (byteOffset a multiple of `bytes`) to core storage. */
  readonly decode: (bytes: Uint8Array, name: string) => TypedArray;
}

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new SafetensorsError('@fovea/io assumes a little-endian host, like the safetensors format');
}

function view<T>(Ctor: new (b: ArrayBuffer, off: number, len: number) => T, bytes: Uint8Array, size: number): T {
  return new Ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / size);
}

/** IEEE 754 half precision to single, exact for every value (subnormals, infinities, NaN). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Rounds to the nearest multiple of 2^shift, ties to even. */
function roundShift(value: number, shift: number): number {
  const out = value >>> shift;
  const rest = value - out * 2 ** shift;
  const half = 2 ** (shift - 1);
  return rest > half || (rest === half && out & 1) ? out + 1 : out;
}

/** Single to IEEE half bits, rounding to nearest even; too large becomes ±Infinity. */
export function floatToHalf(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 112;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) return e < -10 ? sign : sign | roundShift(mant | 0x800000, 14 - e);
  return sign | roundShift((e << 23) | mant, 13); // a carry out of the mantissa bumps the exponent, up to Infinity
}

/** Single to bfloat16 bits (the top half), rounding to nearest even; NaN stays NaN. */
export function floatToBFloat16(v: number): number {
  f32[0] = v;
  const x = u32[0]!;
  if ((x & 0x7fffffff) > 0x7f800000) return (x >>> 16) | 0x40;
  return roundShift(x, 16) & 0xffff;
}

function decodeF16(bytes: Uint8Array): Float32Array {
  const h = view(Uint16Array, bytes, 2);
  const out = new Float32Array(h.length);
  for (let i = 0; i < h.length; i++) out[i] = halfToFloat(h[i]!);
  return out;
}

function decodeBF16(bytes: Uint8Array): Float32Array {
  const h = view(Uint16Array, bytes, 2);
  const bits = new Uint32Array(h.length);
  for (let i = 0; i < h.length; i++) bits[i] = h[i]! << 16;
  return new Float32Array(bits.buffer);
}

function decodeI64(bytes: Uint8Array, name: string): Int32Array {
  const words = view(Int32Array, bytes, 4);
  const out = new Int32Array(words.length / 2);
  for (let i = 0; i < out.length; i++) {
    const lo = words[2 * i]!;
    if (words[2 * i + 1] !== lo >> 31) {
      throw new SafetensorsError(`tensor '${name}': I64 element ${i} does not fit in int32, the widest integer Fovea holds`);
    }
    out[i] = lo;
  }
  return out;
}

export const DTYPES: Readonly<Record<SafetensorsDType, DTypeInfo>> = {
  F64: { bytes: 8, core: 'float32', decode: (b) => Float32Array.from(view(Float64Array, b, 8)) },
  F32: { bytes: 4, core: 'float32', decode: (b) => view(Float32Array, b, 4) },
  F16: { bytes: 2, core: 'float32', decode: decodeF16 },
  BF16: { bytes: 2, core: 'float32', decode: decodeBF16 },
  I64: { bytes: 8, core: 'int32', decode: decodeI64 },
  I32: { bytes: 4, core: 'int32', decode: (b) => view(Int32Array, b, 4) },
  I16: { bytes: 2, core: 'int32', decode: (b) => Int32Array.from(view(Int16Array, b, 2)) },
  I8: { bytes: 1, core: 'int32', decode: (b) => Int32Array.from(view(Int8Array, b, 1)) },
  U8: { bytes: 1, core: 'int32', decode: (b) => Int32Array.from(b) },
  BOOL: { bytes: 1, core: 'bool', decode: (b) => b.map((v) => (v ? 1 : 0)) },
};

export function isSafetensorsDType(value: unknown): value is SafetensorsDType {
  return typeof value === 'string' && Object.hasOwn(DTYPES, value);
}

/** The file dtype a core tensor is saved as. */
export const FILE_DTYPE: Readonly<Record<DType, SafetensorsDType>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };
