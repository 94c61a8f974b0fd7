/** A sliding window (conv or pool) as it affects spatial size: kernel, stride, padding. */
export type Window = readonly [kernel: number, stride: number, padding: number];

/** The smallest square input for which every window in the chain still has an output (floor mode). */
export function minInputSize(windows: readonly Window[]): number {
  for (let size = 1; size < 4096; size++) {
    let s = size;
    for (const [k, stride, p] of windows) {
      s = s + 2 * p < k ? 0 : Math.floor((s + 2 * p - k) / stride) + 1;
      if (s < 1) break;
    }
    if (s >= 1) return size;
  }
  throw new RangeError('no input size below 4096 fits these windows');
}
