// The deterministic weight rule shared with tools/parity/fill.py, bit for bit (see the rule in
// that file's docstring). Dependency-free so every package's parity tests can import it.

/** FNV-1a 32-bit over the UTF-8 bytes of `key`. */
export function fnv1a(key: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(key)) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** q_i = (fmix32(h + i·0x9E3779B1) mod 255) − 127 for i < n, into `out` scaled by `scale`, plus `offset`. */
function fillInts(key: string, out: Float32Array, scale: number, offset: number): Float32Array {
  const h = fnv1a(key);
  for (let i = 0; i < out.length; i++) {
    let x = (h + Math.imul(i, 0x9e3779b1)) >>> 0;
    x ^= x >>> 16;
    x = Math.imul(x, 0x85ebca6b) >>> 0;
    x ^= x >>> 13;
    x = Math.imul(x, 0xc2b2ae35) >>> 0;
    x = (x ^ (x >>> 16)) >>> 0;
    out[i] = offset + ((x % 255) - 127) * scale;
  }
  return out;
}

function fanExponent(fanIn: number): number {
  let e = 0;
  while (4 ** e < fanIn) e++;
  return e;
}

/** The float32 values the rule gives a state-dict entry, or null for entries it leaves alone. */
export function ruleValues(key: string, shape: readonly number[]): Float32Array | null {
  const leaf = key.slice(key.lastIndexOf('.') + 1);
  if (leaf === 'num_batches_tracked') return null;
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  if (leaf === 'weight' && shape.length >= 2) {
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    return fillInts(key, out, 2 ** -(fanExponent(fanIn) + 5), 0);
  }
  if (leaf === 'running_var') return fillInts(key, out, 2 ** -8, 2);
  if (leaf === 'weight') return fillInts(key, out, 2 ** -9, 1);
  if (leaf === 'running_mean' || leaf === 'bias') return fillInts(key, out, 2 ** -10, 0);
  throw new Error(`no fill rule for ${key}`);
}

/** The network input: q_i / 128 for the key 'input'. */
export function inputValues(shape: readonly number[]): Float32Array {
  return fillInts('input', new Float32Array(shape.reduce((a, b) => a * b, 1)), 1 / 128, 0);
}
