// IEEE binary16 conversions for f16 storage: the host rounds float32 values to half precision on
// upload (round to nearest, ties to even, as WGSL's f16() does) and widens them on download.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The binary16 bits nearest to `value`: overflow to ±inf, NaN stays NaN, subnormals kept. */
export function halfBits(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  // The value's exponent re-biased for binary16 (15 instead of 127).
  const e = exp - 112;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal (or zero): shift the significand, implicit bit included, into 10 bits.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e;
    return sign | roundShift(m, shift);
  }
  // Rounding may carry into the exponent, up to infinity: the bit layout makes that exact.
  return sign | ((e << 10) + roundShift(mant, 13));
}

/** `m >> shift`, rounded to nearest with ties to even. */
function roundShift(m: number, shift: number): number {
  const kept = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return kept + (rest > half || (rest === half && (kept & 1) === 1) ? 1 : 0);
}

/** The number binary16 `bits` encode. */
export function halfValue(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >>> 10) & 0x1f;
  const mant = bits & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Float32 values as binary16 bits, for upload. */
export function toHalves(values: Float32Array): Uint16Array<ArrayBuffer> {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = halfBits(values[i]!);
  return out;
}

/** Binary16 bits widened to float32, after download. */
export function fromHalves(bits: Uint16Array): Float32Array {
  const out = new Float32Array(bits.length);
  for (let i = 0; i < bits.length; i++) out[i] = halfValue(bits[i]!);
  return out;
}

/** `value` as f16 storage holds it. */
export const roundToHalf = (value: number): number => halfValue(halfBits(value));
