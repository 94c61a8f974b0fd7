/**
 * The output positions [lo, hi) of a sliding window whose tap lands inside the input: those
 * `o` in [0, outLen) with 0 ≤ o·stride + offset < inLen. Computing the range once per row
 * keeps bounds checks out of the inner loops of convolution and pooling.
 */
export function validRange(outLen: number, inLen: number, stride: number, offset: number): [number, number] {
  const lo = Math.min(outLen, Math.max(0, Math.ceil(-offset / stride)));
  const hi = Math.min(outLen, Math.max(lo, Math.floor((inLen - 1 - offset) / stride) + 1));
  return [lo, hi];
}
